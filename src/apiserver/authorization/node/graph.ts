// The Node authorizer's graph (upstream plugin/pkg/auth/authorizer/node/graph): which node each pod is bound to,
// and which Secrets, ConfigMaps, PersistentVolumeClaims and ServiceAccount each pod references. Fed by the
// store's watch of pods, so a decision is a couple of map reads.
import type { Container, Pod } from '../../../api/core/v1/types.js';
import type { Storage, StoreWatcher } from '../../../storage/interface.js';

export type VertexKind = 'secret' | 'configmap' | 'pvc' | 'serviceaccount' | 'pod';

const PODS_PREFIX = '/registry/pods/';

/** "kind/namespace/name" of everything a pod references (upstream's podToVertices). */
export function podReferences(pod: Pod): string[] {
  const ns = pod.metadata.namespace ?? '';
  const refs = new Set<string>();
  const add = (kind: VertexKind, name: string | undefined) => {
    if (name) refs.add(`${kind}/${ns}/${name}`);
  };
  const spec = pod.spec;
  if (!spec) return [];
  add('serviceaccount', spec.serviceAccountName || (spec as { serviceAccount?: string }).serviceAccount);
  for (const s of spec.imagePullSecrets ?? []) add('secret', s.name);
  const containers: Container[] = [...(spec.initContainers ?? []), ...(spec.containers ?? []), ...((spec.ephemeralContainers ?? []) as Container[])];
  for (const c of containers) {
    for (const e of c.envFrom ?? []) {
      add('secret', e.secretRef?.name);
      add('configmap', e.configMapRef?.name);
    }
    for (const e of c.env ?? []) {
      add('secret', e.valueFrom?.secretKeyRef?.name);
      add('configmap', e.valueFrom?.configMapKeyRef?.name);
    }
  }
  for (const v of spec.volumes ?? []) {
    add('secret', v.secret?.secretName);
    add('configmap', v.configMap?.name);
    add('pvc', v.persistentVolumeClaim?.claimName);
    for (const p of v.projected?.sources ?? []) {
      add('secret', p.secret?.name);
      add('configmap', p.configMap?.name);
    }
    // other volume kinds that name a secret (csi, iscsi, rbd, ...) keep it under secretRef
    for (const src of Object.values(v as unknown as Record<string, unknown>)) {
      const ref = (src as { secretRef?: { name?: string } } | undefined)?.secretRef;
      if (ref && typeof ref === 'object') add('secret', ref.name);
    }
    // generic ephemeral volumes make a PVC named <pod>-<volume>
    if ((v as { ephemeral?: unknown }).ephemeral) add('pvc', `${pod.metadata.name}-${v.name}`);
  }
  return [...refs];
}

interface PodEntry {
  node: string;
  refs: string[];
}

export class NodeGraph {
  /** "ns/name" of a pod → its node and references */
  private pods = new Map<string, PodEntry>();
  /** node → reference → number of the node's pods holding it */
  private byNode = new Map<string, Map<string, number>>();
  private watcher?: StoreWatcher;
  private stopped = false;

  constructor(private readonly storage: Storage) {}

  async start(): Promise<void> {
    if (this.stopped) return;
    const { items, resourceVersion } = await this.storage.list(PODS_PREFIX);
    for (const key of [...this.pods.keys()]) this.remove(key);
    for (const p of items) this.set(p as Pod);
    this.watcher?.stop();
    this.watcher = this.storage.watch(PODS_PREFIX, {
      fromRV: resourceVersion,
      onEvent: (ev) => {
        const pod = ev.object as Pod;
        if (ev.type === 'DELETED') this.remove(`${pod.metadata.namespace}/${pod.metadata.name}`);
        else this.set(pod);
      },
      onClose: () => {
        if (!this.stopped) void this.start().catch(() => setTimeout(() => void this.start(), 1000).unref());
      },
    });
  }

  stop(): void {
    this.stopped = true;
    this.watcher?.stop();
  }

  private set(pod: Pod): void {
    const key = `${pod.metadata.namespace}/${pod.metadata.name}`;
    this.remove(key);
    const node = pod.spec?.nodeName;
    if (!node) return;
    const refs = [`pod/${key}`, ...podReferences(pod)];
    this.pods.set(key, { node, refs });
    let m = this.byNode.get(node);
    if (!m) this.byNode.set(node, (m = new Map()));
    for (const r of refs) m.set(r, (m.get(r) ?? 0) + 1);
  }

  private remove(key: string): void {
    const e = this.pods.get(key);
    if (!e) return;
    this.pods.delete(key);
    const m = this.byNode.get(e.node);
    if (!m) return;
    for (const r of e.refs) {
      const n = (m.get(r) ?? 1) - 1;
      if (n > 0) m.set(r, n);
      else m.delete(r);
    }
    if (!m.size) this.byNode.delete(e.node);
  }

  /** Whether a pod bound to `node` references (or, for kind pod, is) kind/namespace/name. */
  hasPath(node: string, kind: VertexKind, namespace: string, name: string): boolean {
    return (this.byNode.get(node)?.get(`${kind}/${namespace}/${name}`) ?? 0) > 0;
  }

  /** The node a pod is bound to (NodeRestriction reads it for pods it is not given the object of). */
  nodeOfPod(namespace: string, name: string): string | undefined {
    return this.pods.get(`${namespace}/${name}`)?.node;
  }
}
