// ConfigMaps and Secrets for env and volumes, as upstream kubelet's watch-based manager: each object a pod on
// this node references gets its own watch (field selector metadata.name=<name> in its namespace), refcounted
// by the pods that reference it and stopped when none does — the node never watches every Secret in the
// cluster. Reads come from that watch's cache once it has listed (a direct GET before), and a change to a
// watched object fires the hook (so the pods using it get re-synced). Tokens of projected volumes come from
// the token manager (TokenRequest bound to the pod).
import { isStatusError } from '../api/errors.js';
import type { ConfigMap, Pod, Secret, ServiceAccountTokenProjection } from '../api/core/v1/types.js';
import type { TokenRequest } from '../api/authentication/v1/types.js';
import type { KubeObject } from '../api/types.js';
import { listWatchFor } from '../client/reflector.js';
import type { KubeClient } from '../client/rest.js';
import { SharedIndexInformer } from '../client/shared_informer.js';
import { collectionPath, coreV1, Resources, type ResourceRef } from '../client/typed.js';
import type { ObjectSource } from './volumes/types.js';
import { TokenManager, podTokenRequest } from './token/manager.js';

type Kind = 'ConfigMap' | 'Secret';

interface WatchedObject<T extends KubeObject> {
  informer: SharedIndexInformer<T>;
  /** UIDs of the pods that reference it. */
  pods: Set<string>;
}

/** One kind's per-object watches, refcounted by pod UID. */
class ObjectWatches<T extends KubeObject> {
  private objects = new Map<string, WatchedObject<T>>();
  /** pod UID → "namespace/name" keys it references */
  private podRefs = new Map<string, Set<string>>();
  private stopped = false;

  constructor(
    private readonly client: KubeClient,
    private readonly kind: Kind,
    private readonly ref: ResourceRef,
    private readonly onChange: (kind: Kind, namespace: string, name: string) => void,
  ) {}

  /** The pod now references exactly `names` in `ns` (earlier references it dropped are released). */
  setPodRefs(uid: string, ns: string, names: Set<string>): void {
    if (this.stopped) return;
    const want = new Set([...names].map((n) => `${ns}/${n}`));
    const had = this.podRefs.get(uid) ?? new Set<string>();
    for (const key of want) if (!had.has(key)) this.acquire(key, uid);
    for (const key of had) if (!want.has(key)) this.release(key, uid);
    if (want.size) this.podRefs.set(uid, want);
    else this.podRefs.delete(uid);
  }

  releasePod(uid: string): void {
    for (const key of this.podRefs.get(uid) ?? []) this.release(key, uid);
    this.podRefs.delete(uid);
  }

  /** Watched keys (diagnostics and tests). */
  keys(): string[] {
    return [...this.objects.keys()];
  }

  /** From the object's watch cache once it has listed; undefined = not watched or not listed yet. */
  cached(ns: string, name: string): { obj: T | undefined } | undefined {
    const w = this.objects.get(`${ns}/${name}`);
    if (!w || !w.informer.hasSynced()) return undefined;
    return { obj: w.informer.get(`${ns}/${name}`) };
  }

  stop(): void {
    this.stopped = true;
    for (const w of this.objects.values()) void w.informer.stop();
    this.objects.clear();
    this.podRefs.clear();
  }

  private acquire(key: string, uid: string): void {
    let w = this.objects.get(key);
    if (!w) {
      const [ns, name] = [key.slice(0, key.indexOf('/')), key.slice(key.indexOf('/') + 1)];
      const informer = new SharedIndexInformer<T>(listWatchFor<T>(this.client, collectionPath(this.ref, ns), { fieldSelector: `metadata.name=${name}` }), {
        name: `${this.ref.resource} ${key}`,
      });
      const changed = () => this.onChange(this.kind, ns, name);
      informer.addEventHandler({ onAdd: changed, onUpdate: changed, onDelete: changed });
      informer.start();
      this.objects.set(key, (w = { informer, pods: new Set() }));
    }
    w.pods.add(uid);
  }

  private release(key: string, uid: string): void {
    const w = this.objects.get(key);
    if (!w) return;
    w.pods.delete(uid);
    if (w.pods.size) return;
    this.objects.delete(key);
    void w.informer.stop();
  }
}

export class InformerObjectSource implements ObjectSource {
  readonly configMaps: ObjectWatches<ConfigMap>;
  readonly secrets: ObjectWatches<Secret>;
  readonly tokens: TokenManager;

  constructor(
    private readonly client: KubeClient,
    onChange: (kind: Kind, namespace: string, name: string) => void,
  ) {
    this.configMaps = new ObjectWatches<ConfigMap>(client, 'ConfigMap', Resources.configMaps, onChange);
    this.secrets = new ObjectWatches<Secret>(client, 'Secret', Resources.secrets, onChange);
    this.tokens = new TokenManager((ns, name, tr) => coreV1(client).serviceAccounts(ns).createSubresource<TokenRequest>(name, 'token', tr));
  }

  /** The pod (added or updated) is on this node: watch what it references now (upstream RegisterPod). */
  registerPod(pod: Pod): void {
    const uid = pod.metadata.uid;
    if (!uid) return;
    const ns = pod.metadata.namespace ?? 'default';
    const refs = referencedObjects(pod);
    this.configMaps.setPodRefs(uid, ns, refs.configMaps);
    this.secrets.setPodRefs(uid, ns, refs.secrets);
  }

  /** The pod left the node: release its references (upstream UnregisterPod) and its tokens. */
  unregisterPod(uid: string): void {
    this.configMaps.releasePod(uid);
    this.secrets.releasePod(uid);
    this.tokens.deletePodTokens(uid);
  }

  async getServiceAccountToken(pod: Pod, projection: ServiceAccountTokenProjection): Promise<string> {
    const sa = pod.spec?.serviceAccountName;
    if (!sa) throw new Error('pod has no serviceAccountName');
    const tr = podTokenRequest(pod, projection.audience, projection.expirationSeconds ?? 3600);
    return (await this.tokens.getServiceAccountToken(pod.metadata.namespace ?? 'default', sa, tr)).status!.token;
  }

  /** Kept for the kubelet's lifecycle: watches start as pods register. */
  start(): void {}

  stop(): void {
    this.configMaps.stop();
    this.secrets.stop();
  }

  private async fetch<T>(get: () => Promise<T>): Promise<T | undefined> {
    try {
      return await get();
    } catch (e) {
      if (isStatusError(e) && e.status.code === 404) return undefined;
      throw e;
    }
  }

  async getConfigMap(ns: string, name: string): Promise<ConfigMap | undefined> {
    const hit = this.configMaps.cached(ns, name);
    return hit ? hit.obj : await this.fetch(() => coreV1(this.client).configMaps(ns).get(name));
  }

  async getSecret(ns: string, name: string): Promise<Secret | undefined> {
    const hit = this.secrets.cached(ns, name);
    return hit ? hit.obj : await this.fetch(() => coreV1(this.client).secrets(ns).get(name));
  }
}

/** Names of the ConfigMaps and Secrets a pod uses (env, envFrom, volumes, projected sources, pull secrets). */
export function referencedObjects(pod: { spec?: import('../api/core/v1/types.js').PodSpec }): { configMaps: Set<string>; secrets: Set<string> } {
  const configMaps = new Set<string>();
  const secrets = new Set<string>();
  const spec = pod.spec;
  for (const c of [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])]) {
    for (const e of c.env ?? []) {
      if (e.valueFrom?.configMapKeyRef?.name) configMaps.add(e.valueFrom.configMapKeyRef.name);
      if (e.valueFrom?.secretKeyRef?.name) secrets.add(e.valueFrom.secretKeyRef.name);
    }
    for (const f of c.envFrom ?? []) {
      if (f.configMapRef?.name) configMaps.add(f.configMapRef.name);
      if (f.secretRef?.name) secrets.add(f.secretRef.name);
    }
  }
  for (const v of spec?.volumes ?? []) {
    if (v.configMap?.name) configMaps.add(v.configMap.name);
    if (v.secret?.secretName) secrets.add(v.secret.secretName);
    for (const s of v.projected?.sources ?? []) {
      if (s.configMap?.name) configMaps.add(s.configMap.name);
      if (s.secret?.name) secrets.add(s.secret.name);
    }
  }
  for (const s of spec?.imagePullSecrets ?? []) if (s.name) secrets.add(s.name);
  return { configMaps, secrets };
}
