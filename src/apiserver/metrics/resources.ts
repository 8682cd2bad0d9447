// metrics.k8s.io/v1beta1 nodes (NodeMetrics) and pods (PodMetrics): get and list only, computed on request
// from the node agents (Services.resourceMetrics) instead of storage; label and field selectors filter
// on the Node and Pod objects, as metrics-server does.
import type { Node, Pod } from '../../api/core/v1/types.js';
import type { KubeObject } from '../../api/types.js';
import type { PodMetrics } from '../../api/metrics/types.js';
import { notFound, serviceUnavailable } from '../../api/errors.js';
import type { HandlerContext } from '../handlers/context.js';
import { renderObjects } from '../handlers/read.js';
import type { ResourceDef, SubresourceRequest } from '../registry.js';

const GROUP = 'metrics.k8s.io';

function source(ctx: HandlerContext) {
  const m = ctx.svc.resourceMetrics;
  if (!m) throw serviceUnavailable('the server is currently unable to handle the request (resource metrics are not available)');
  return m;
}

async function nodes(ctx: HandlerContext): Promise<Node[]> {
  const def = ctx.svc.lookup('', 'v1', 'nodes')!;
  const pred = ctx.svc.predicate(def, ctx.query.get('labelSelector'), ctx.info.name ? `metadata.name=${ctx.info.name}` : ctx.query.get('fieldSelector'));
  return (await ctx.svc.storeFor(def).list(undefined, { predicate: pred })).items as Node[];
}

/** Each reachable node's answer; a node that fails is left out (metrics-server's partial results). */
async function perNode<T>(list: Node[], f: (n: Node) => Promise<T>): Promise<T[]> {
  const out = await Promise.allSettled(list.map(f));
  return out.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
}

async function serveNodes(c: SubresourceRequest): Promise<void> {
  const ctx = c as HandlerContext;
  const m = source(ctx);
  const found = await nodes(ctx);
  const items = (await perNode(found, (n) => m.nodeMetrics(n))).filter((x): x is NonNullable<typeof x> => !!x);
  items.sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
  if (ctx.info.name) {
    if (!items.length) throw notFound({ group: GROUP, resource: 'nodes' }, ctx.info.name);
    return renderObjects(ctx, items, false, {});
  }
  renderObjects(ctx, items, true, {});
}

async function servePods(c: SubresourceRequest): Promise<void> {
  const ctx = c as HandlerContext;
  const m = source(ctx);
  const podDef = ctx.svc.lookup('', 'v1', 'pods')!;
  const nodeDef = ctx.svc.lookup('', 'v1', 'nodes')!;
  const fieldSel = ctx.info.name ? `metadata.name=${ctx.info.name}` : ctx.query.get('fieldSelector');
  const pred = ctx.svc.predicate(podDef, ctx.query.get('labelSelector'), fieldSel);
  const pods = (await ctx.svc.storeFor(podDef).list(ctx.info.namespace, { predicate: pred })).items as Pod[];
  const byNode = new Map<string, Pod[]>();
  for (const p of pods) {
    const n = p.spec?.nodeName;
    if (!n || p.status?.phase !== 'Running') continue;
    byNode.set(n, [...(byNode.get(n) ?? []), p]);
  }
  const nodeStore = ctx.svc.storeFor(nodeDef);
  const nodeObjs = await perNode(
    [...byNode.keys()].map((name) => ({ metadata: { name } }) as Node),
    (n) => nodeStore.get(undefined, n.metadata.name!) as Promise<Node>,
  );
  const perNodeMetrics = await perNode(nodeObjs, (n) => m.podMetrics(n));
  const all = new Map<string, PodMetrics>();
  for (const mm of perNodeMetrics) for (const [uid, pm] of mm) all.set(uid, pm);
  const items: KubeObject[] = [];
  for (const p of pods) {
    const pm = all.get(p.metadata.uid ?? '');
    if (!pm) continue;
    pm.metadata.labels = p.metadata.labels;
    items.push(pm);
  }
  items.sort((a, b) => `${a.metadata.namespace}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace}/${b.metadata.name}`));
  if (ctx.info.name) {
    if (!items.length) throw notFound({ group: GROUP, resource: 'pods' }, ctx.info.name);
    return renderObjects(ctx, items, false, {});
  }
  renderObjects(ctx, items, true, {});
}

const readOnly = { strategy: {}, verbs: ['get', 'list'] };

export const metricsResources: ResourceDef[] = [
  {
    group: GROUP,
    version: 'v1beta1',
    kind: 'NodeMetrics',
    listKind: 'NodeMetricsList',
    resource: 'nodes',
    singular: '',
    namespaced: false,
    schemaName: 'io.k8s.metrics.pkg.apis.metrics.v1beta1.NodeMetrics',
    handlers: { get: serveNodes, list: serveNodes },
    ...readOnly,
  },
  {
    group: GROUP,
    version: 'v1beta1',
    kind: 'PodMetrics',
    listKind: 'PodMetricsList',
    resource: 'pods',
    singular: '',
    namespaced: true,
    schemaName: 'io.k8s.metrics.pkg.apis.metrics.v1beta1.PodMetrics',
    handlers: { get: servePods, list: servePods },
    ...readOnly,
  },
];
