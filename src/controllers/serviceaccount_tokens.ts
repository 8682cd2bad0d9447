// The tokens controller (upstream pkg/controller/serviceaccount tokens_controller.go): a Secret of type
// kubernetes.io/service-account-token annotated with its ServiceAccount's name gets a legacy (non-expiring)
// token, ca.crt and namespace; such Secrets are deleted once their ServiceAccount (same UID) is gone.
import { createPublicKey, type KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';
import type { Secret, ServiceAccount } from '../api/core/v1/types.js';
import {
  LEGACY_CLAIMS,
  LEGACY_ISSUER,
  SERVICE_ACCOUNT_NAME_ANNOTATION,
  SERVICE_ACCOUNT_NAMESPACE_KEY,
  SERVICE_ACCOUNT_ROOT_CA_KEY,
  SERVICE_ACCOUNT_TOKEN_KEY,
  SERVICE_ACCOUNT_TOKEN_SECRET_TYPE,
  SERVICE_ACCOUNT_UID_ANNOTATION,
  keyID,
  serviceAccountUsername,
  signingAlgorithm,
} from '../api/serviceaccount.js';
import { Controller } from '../client/controller.js';
import type { SharedInformerFactory } from '../client/informer_factory.js';
import type { Lister } from '../client/listers.js';
import type { KubeClient } from '../client/rest.js';
import { coreV1, type CoreV1Client } from '../client/typed.js';
import type { Logger } from '../log/logger.js';

export interface TokensControllerOptions {
  /** --service-account-private-key-file's key. */
  privateKey: KeyObject;
  /** --root-ca-file's bundle, written as ca.crt (omitted when absent). */
  rootCA?: string;
  log?: Logger;
  factory?: SharedInformerFactory;
}

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

export class TokensController extends Controller {
  private readonly core: CoreV1Client;
  private readonly secrets: Lister<Secret>;
  private readonly accounts: Lister<ServiceAccount>;
  private readonly kid: string;
  private readonly alg: string;

  constructor(
    client: KubeClient,
    private readonly opts: TokensControllerOptions,
  ) {
    super({ name: 'serviceaccount-token', client, factory: opts.factory, log: opts.log });
    this.core = coreV1(client);
    this.kid = keyID(createPublicKey(opts.privateKey));
    this.alg = signingAlgorithm(opts.privateKey);
    const secretInformer = this.factory.secrets();
    const saInformer = this.factory.serviceAccounts();
    this.secrets = secretInformer.lister;
    this.accounts = saInformer.lister;
    const isToken = (s: Secret) => s.type === SERVICE_ACCOUNT_TOKEN_SECRET_TYPE;
    this.watch(secretInformer, { onAdd: (s) => isToken(s) && this.enqueue(s), onUpdate: (_o, s) => isToken(s) && this.enqueue(s) });
    // a ServiceAccount's token Secrets go with it
    const enqueueTokens = (sa: ServiceAccount) => {
      for (const s of this.secrets.namespace(sa.metadata.namespace!).list()) {
        if (isToken(s) && s.metadata.annotations?.[SERVICE_ACCOUNT_NAME_ANNOTATION] === sa.metadata.name) this.enqueue(s);
      }
    };
    this.watch(saInformer, { onAdd: enqueueTokens, onDelete: enqueueTokens });
  }

  protected async reconcile(key: string): Promise<void> {
    const [namespace, name] = key.split('/') as [string, string];
    const secret = this.secrets.namespace(namespace).get(name);
    if (!secret || secret.type !== SERVICE_ACCOUNT_TOKEN_SECRET_TYPE || secret.metadata.deletionTimestamp) return;
    const annotations = secret.metadata.annotations ?? {};
    const saName = annotations[SERVICE_ACCOUNT_NAME_ANNOTATION];
    if (!saName) return;
    const secrets = this.core.secrets(namespace);
    const sa = await this.liveServiceAccount(namespace, saName);
    const wantUID = annotations[SERVICE_ACCOUNT_UID_ANNOTATION];
    if (!sa || (wantUID && wantUID !== sa.metadata.uid)) {
      try {
        await secrets.delete(name, { preconditions: { uid: secret.metadata.uid } });
        this.log.info({ secret: key, serviceAccount: saName }, 'Deleted the token Secret of a missing ServiceAccount');
      } catch (e) {
        if ((e as { code?: number }).code !== 404 && (e as { code?: number }).code !== 409) throw e;
      }
      return;
    }
    const data = secret.data ?? {};
    const want: Record<string, string> = {};
    if (!data[SERVICE_ACCOUNT_TOKEN_KEY]) want[SERVICE_ACCOUNT_TOKEN_KEY] = b64(await this.legacyToken(sa, name));
    if (this.opts.rootCA && data[SERVICE_ACCOUNT_ROOT_CA_KEY] !== b64(this.opts.rootCA)) want[SERVICE_ACCOUNT_ROOT_CA_KEY] = b64(this.opts.rootCA);
    if (data[SERVICE_ACCOUNT_NAMESPACE_KEY] !== b64(namespace)) want[SERVICE_ACCOUNT_NAMESPACE_KEY] = b64(namespace);
    const needsUID = !wantUID;
    if (!Object.keys(want).length && !needsUID) return;
    const updated = structuredClone(secret);
    updated.data = { ...data, ...want };
    updated.metadata.annotations = { ...annotations, [SERVICE_ACCOUNT_UID_ANNOTATION]: sa.metadata.uid! };
    try {
      await secrets.update(updated);
      if (want[SERVICE_ACCOUNT_TOKEN_KEY]) this.log.info({ secret: key, serviceAccount: saName }, 'Populated a ServiceAccount token Secret');
    } catch (e) {
      // 409: changed meanwhile; its update event brings it back
      if ((e as { code?: number }).code !== 409 && (e as { code?: number }).code !== 404) throw e;
    }
  }

  /** The cache first, then the API (a ServiceAccount made a moment ago may not be cached yet). */
  private async liveServiceAccount(namespace: string, name: string): Promise<ServiceAccount | undefined> {
    const cached = this.accounts.namespace(namespace).get(name);
    if (cached) return cached;
    try {
      return await this.core.serviceAccounts(namespace).get(name);
    } catch (e) {
      if ((e as { code?: number }).code === 404) return undefined;
      throw e;
    }
  }

  private legacyToken(sa: ServiceAccount, secretName: string): Promise<string> {
    const ns = sa.metadata.namespace!;
    return new SignJWT({
      [LEGACY_CLAIMS.namespace]: ns,
      [LEGACY_CLAIMS.secretName]: secretName,
      [LEGACY_CLAIMS.serviceAccountName]: sa.metadata.name!,
      [LEGACY_CLAIMS.serviceAccountUID]: sa.metadata.uid!,
    })
      .setProtectedHeader({ alg: this.alg, kid: this.kid })
      .setIssuer(LEGACY_ISSUER)
      .setSubject(serviceAccountUsername(ns, sa.metadata.name!))
      .sign(this.opts.privateKey);
  }
}
