// The bootstrapsigner controller (upstream pkg/controller/bootstrap/bootstrapsigner.go): the kube-public
// cluster-info ConfigMap carries, per live bootstrap token with usage-bootstrap-signing, a detached JWS of its
// kubeconfig under jws-kubeconfig-<token-id>; signatures of tokens gone, expired or not for signing are removed.
import type { ConfigMap, Secret } from '../../api/core/v1/types.js';
import {
  BOOTSTRAP_KEYS,
  BOOTSTRAP_TOKEN_NAMESPACE,
  BOOTSTRAP_TOKEN_SECRET_PREFIX,
  BOOTSTRAP_TOKEN_SECRET_TYPE,
  bootstrapSecretData,
  bootstrapTokenExpired,
} from '../../api/bootstrap_token.js';
import { Controller, type ReconcileResult } from '../../client/controller.js';
import type { SharedInformerFactory } from '../../client/informer_factory.js';
import type { Lister } from '../../client/listers.js';
import type { KubeClient } from '../../client/rest.js';
import { coreV1, type CoreV1Client } from '../../client/typed.js';
import type { Logger } from '../../log/logger.js';
import { computeDetachedSignature } from '../../pki/jws.js';

export const CLUSTER_INFO_NAMESPACE = 'kube-public';
export const CLUSTER_INFO_NAME = 'cluster-info';
export const CLUSTER_INFO_KUBECONFIG_KEY = 'kubeconfig';
export const JWS_KEY_PREFIX = 'jws-kubeconfig-';
const KEY = `${CLUSTER_INFO_NAMESPACE}/${CLUSTER_INFO_NAME}`;

/** The tokens that sign: id → secret, for live, unexpired bootstrap token Secrets with usage-bootstrap-signing. */
export function signingTokens(secrets: Secret[], now: number): Map<string, string> {
  const out = new Map<string, string>();
  for (const s of secrets) {
    if (s.type !== BOOTSTRAP_TOKEN_SECRET_TYPE || s.metadata.deletionTimestamp) continue;
    const d = bootstrapSecretData(s.data);
    const id = d[BOOTSTRAP_KEYS.tokenID];
    const secret = d[BOOTSTRAP_KEYS.tokenSecret];
    if (!id || !secret || s.metadata.name !== BOOTSTRAP_TOKEN_SECRET_PREFIX + id) continue;
    if (d[BOOTSTRAP_KEYS.usagePrefix + 'signing'] !== 'true' || bootstrapTokenExpired(d[BOOTSTRAP_KEYS.expiration], now)) continue;
    out.set(id, secret);
  }
  return out;
}

export class BootstrapSigner extends Controller {
  private readonly core: CoreV1Client;
  private readonly configMaps: Lister<ConfigMap>;
  private readonly secrets: Lister<Secret>;
  private readonly now: () => number;

  constructor(client: KubeClient, opts: { log?: Logger; factory?: SharedInformerFactory; now?: () => number } = {}) {
    super({ name: 'bootstrapsigner', client, factory: opts.factory, log: opts.log });
    this.core = coreV1(client);
    this.now = opts.now ?? Date.now;
    const cms = this.factory.configMaps({ namespace: CLUSTER_INFO_NAMESPACE });
    const secrets = this.factory.secrets({ namespace: BOOTSTRAP_TOKEN_NAMESPACE });
    this.configMaps = cms.lister;
    this.secrets = secrets.lister;
    const all = () => this.queue.add(KEY);
    this.watch(cms, {
      onAdd: (cm) => cm.metadata.name === CLUSTER_INFO_NAME && all(),
      onUpdate: (_o, cm) => cm.metadata.name === CLUSTER_INFO_NAME && all(),
    });
    const tokenChanged = (s: Secret) => s.type === BOOTSTRAP_TOKEN_SECRET_TYPE && all();
    this.watch(secrets, { onAdd: tokenChanged, onUpdate: (_o, s) => tokenChanged(s), onDelete: tokenChanged });
  }

  protected async reconcile(): Promise<ReconcileResult | void> {
    const cm = this.configMaps.namespace(CLUSTER_INFO_NAMESPACE).get(CLUSTER_INFO_NAME);
    const content = cm?.data?.[CLUSTER_INFO_KUBECONFIG_KEY];
    if (!cm || cm.metadata.deletionTimestamp || content === undefined) return;
    const now = this.now();
    const tokens = signingTokens(this.secrets.namespace(BOOTSTRAP_TOKEN_NAMESPACE).list(), now);
    const data: Record<string, string> = {};
    for (const [k, v] of Object.entries(cm.data ?? {})) if (!k.startsWith(JWS_KEY_PREFIX)) data[k] = v;
    for (const [id, secret] of [...tokens].sort()) data[JWS_KEY_PREFIX + id] = await computeDetachedSignature(content, id, secret);
    // the next expiry drops a signature without any event
    const expiries = this.secrets
      .namespace(BOOTSTRAP_TOKEN_NAMESPACE)
      .list()
      .map((s) => Date.parse(bootstrapSecretData(s.data)[BOOTSTRAP_KEYS.expiration] ?? ''))
      .filter((t) => t > now);
    const requeue = expiries.length ? { requeueAfterMs: Math.min(...expiries) - now + 1000 } : undefined;
    if (JSON.stringify(Object.entries(data).sort()) === JSON.stringify(Object.entries(cm.data ?? {}).sort())) return requeue;
    const next = structuredClone(cm);
    next.data = data;
    try {
      await this.core.configMaps(CLUSTER_INFO_NAMESPACE).update(next);
      this.log.info({ tokens: [...tokens.keys()] }, 'Signed cluster-info');
    } catch (e) {
      if ((e as { code?: number }).code !== 409) throw e; // the update event requeues
    }
    return requeue;
  }
}
