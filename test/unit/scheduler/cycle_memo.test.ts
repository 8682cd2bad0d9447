// Counts kept between cycles (topology_counts.ts, in InterPodAffinity's and PodTopologySpread's PreFilter and PreScore) must follow
// the cache: a run of cycles over one cache, with pods assumed, removed and relabelled between them, places
// pods exactly as the affinity rules allow.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../../../src/api/core/v1/types.js';
import { SchedulerCache } from '../../../src/scheduler/cache.js';
import { defaultPlugins, Framework } from '../../../src/scheduler/framework.js';
import { cacheHandle } from '../../../src/scheduler/handle.js';
import { schedulePod, type ScheduleContext } from '../../../src/scheduler/schedule_one.js';
import { makeNode, makePod } from './fixtures.js';

const ZONE = 'topology.kubernetes.io/zone';
const sel = { matchLabels: { app: 'web' } };

function context(nodes: number): ScheduleContext {
  const cache = new SchedulerCache();
  for (let i = 0; i < nodes; i++) cache.addNode(makeNode(`n${i}`, { labels: { 'kubernetes.io/hostname': `n${i}`, [ZONE]: `z${i % 3}` } }));
  const fw = new Framework(cacheHandle(cache, { namespace: () => undefined }), defaultPlugins(), (n) => cache.nominatedPodsFor(n));
  return { fw, cache, nextStart: 0 };
}

function labelled(pod: Pod, labels: Record<string, string>): Pod {
  return { ...pod, metadata: { ...pod.metadata, labels } };
}

test('required anti-affinity over cycles: one pod per node, a freed node takes the next pod', () => {
  const ctx = context(6);
  const anti = {
    affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: sel, topologyKey: 'kubernetes.io/hostname' }] } },
  };
  const placed: Pod[] = [];
  for (let i = 0; i < 6; i++) {
    const pod = labelled(makePod(`p${i}`, { requests: { cpu: '10m' }, ...anti }), { app: 'web' });
    const r = schedulePod(ctx, pod);
    assert.ok(r.host, `p${i} placed`);
    ctx.cache.assumePod(pod, r.host!);
    placed.push({ ...pod, spec: { ...pod.spec!, nodeName: r.host } });
  }
  assert.equal(new Set(placed.map((p) => p.spec?.nodeName)).size, 6);
  const extra = labelled(makePod('p6', { requests: { cpu: '10m' }, ...anti }), { app: 'web' });
  assert.equal(schedulePod(ctx, extra).host, undefined, 'every node holds a matching pod');
  // the pod on n3 leaves: n3 (and only n3) fits again
  const gone = placed.find((p) => p.spec?.nodeName === 'n3')!;
  ctx.cache.removePodObject(gone);
  assert.equal(schedulePod(ctx, extra).host, 'n3');
  // the pod on n1 is replaced by one with another label and no terms: n1 takes the next pod
  const onN1 = placed.find((p) => p.spec?.nodeName === 'n1')!;
  ctx.cache.setPod({ ...labelled(onN1, { app: 'other' }), spec: { ...onN1.spec!, affinity: undefined } });
  ctx.cache.assumePod(extra, 'n3');
  const next = labelled(makePod('p7', { requests: { cpu: '10m' }, ...anti }), { app: 'web' });
  assert.equal(schedulePod(ctx, next).host, 'n1');
});

test('required affinity over cycles: every pod joins the zone of the first, then follows it when it moves', () => {
  const ctx = context(9);
  const aff = { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: sel, topologyKey: ZONE }] } } };
  const zoneOf = (node: string) => `z${Number(node.slice(1)) % 3}`;
  const zones = new Set<string>();
  const placed: Pod[] = [];
  for (let i = 0; i < 12; i++) {
    const pod = labelled(makePod(`a${i}`, { requests: { cpu: '10m' }, ...aff }), { app: 'web' });
    const r = schedulePod(ctx, pod);
    assert.ok(r.host);
    ctx.cache.assumePod(pod, r.host!);
    placed.push({ ...pod, spec: { ...pod.spec!, nodeName: r.host } });
    zones.add(zoneOf(r.host!));
  }
  assert.equal(zones.size, 1);
  // all of them leave; one plain matching pod appears in another zone: the next pod must go there
  for (const p of placed) ctx.cache.removePodObject(p);
  const other = [...['z0', 'z1', 'z2']].find((z) => !zones.has(z))!;
  const anchorNode = ['n0', 'n1', 'n2'].find((n) => zoneOf(n) === other)!;
  ctx.cache.setPod(labelled(makePod('anchor', { nodeName: anchorNode }), { app: 'web' }));
  const pod = labelled(makePod('b0', { requests: { cpu: '10m' }, ...aff }), { app: 'web' });
  const r = schedulePod(ctx, pod);
  assert.equal(zoneOf(r.host!), other);
});

test('topology spread over cycles: zone counts follow assumed, removed and relabelled pods and a relabelled node', () => {
  const ctx = context(9);
  const spread = { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: ZONE, whenUnsatisfiable: 'DoNotSchedule' as const, labelSelector: sel }] };
  const zoneOf = (node: string) => ctx.cache.nodeInfo(node)!.node.metadata.labels![ZONE]!;
  const perZone = () => {
    const m = new Map<string, number>();
    for (const ni of ctx.cache.nodeInfos())
      m.set(ni.node.metadata.labels![ZONE]!, (m.get(ni.node.metadata.labels![ZONE]!) ?? 0) + ni.pods.filter((p) => p.metadata.labels?.app === 'web').length);
    return m;
  };
  const skew = () => Math.max(...perZone().values()) - Math.min(...perZone().values());
  const placed: Pod[] = [];
  for (let i = 0; i < 9; i++) {
    const pod = labelled(makePod(`s${i}`, { requests: { cpu: '10m' }, ...spread }), { app: 'web' });
    const r = schedulePod(ctx, pod);
    assert.ok(r.host, `s${i} placed`);
    ctx.cache.assumePod(pod, r.host!);
    placed.push({ ...pod, spec: { ...pod.spec!, nodeName: r.host } });
    assert.ok(skew() <= 1, `skew ${skew()} after s${i}`);
  }
  // two pods of one zone leave: the next two pods must go to that zone
  const z = zoneOf(placed[0]!.spec!.nodeName!);
  const gone = placed.filter((p) => zoneOf(p.spec!.nodeName!) === z).slice(0, 2);
  for (const p of gone) ctx.cache.removePodObject(p);
  for (let i = 0; i < 2; i++) {
    const pod = labelled(makePod(`t${i}`, { requests: { cpu: '10m' }, ...spread }), { app: 'web' });
    const r = schedulePod(ctx, pod);
    assert.equal(zoneOf(r.host!), z, `t${i} goes to the emptied zone`);
    ctx.cache.assumePod(pod, r.host!);
  }
  // a placed pod no longer matches (relabelled): its zone has room for one more
  const other = placed.find((p) => !gone.includes(p) && zoneOf(p.spec!.nodeName!) !== z)!;
  ctx.cache.setPod(labelled(other, { app: 'other' }));
  const r = schedulePod(ctx, labelled(makePod('u0', { requests: { cpu: '10m' }, ...spread }), { app: 'web' }));
  assert.equal(zoneOf(r.host!), zoneOf(other.spec!.nodeName!));
  // a node moves to a new zone of its own, empty of matching pods once its pods are gone: it is the only fit
  const mover = ctx.cache.nodeInfos().find((ni) => ni.pods.length === 0) ?? ctx.cache.nodeInfos()[0]!;
  for (const p of [...mover.pods]) ctx.cache.removePodObject(p);
  ctx.cache.updateNode({ ...mover.node, metadata: { ...mover.node.metadata, labels: { ...mover.node.metadata.labels, [ZONE]: 'z-new' } } });
  const moved = schedulePod(ctx, labelled(makePod('u1', { requests: { cpu: '10m' }, ...spread }), { app: 'web' }));
  assert.equal(moved.host, mover.node.metadata.name);
});

test('kept counts equal a fresh count after every change', async () => {
  const { KeptCounts } = await import('../../../src/scheduler/topology_counts.js');
  const ctx = context(12);
  const kept = new KeptCounts();
  const measure = (ni: import('../../../src/scheduler/node_info.js').NodeInfo) => ({
    part: [ZONE, ni.node.metadata.labels![ZONE]!, ni.pods.filter((p) => p.metadata.labels?.app === 'web').length],
    keep: true,
  });
  const fresh = () => {
    const m = new Map<string, number>();
    for (const ni of ctx.cache.nodeInfos())
      m.set(ni.node.metadata.labels![ZONE]!, (m.get(ni.node.metadata.labels![ZONE]!) ?? 0) + (measure(ni).part[2] as number));
    return m;
  };
  const pods: Pod[] = [];
  for (let step = 0; step < 60; step++) {
    const node = `n${(step * 7) % 12}`;
    if (step % 5 === 4 && pods.length) ctx.cache.removePodObject(pods.shift()!);
    else if (step % 11 === 10) ctx.cache.removeNode(ctx.cache.nodeInfo(`n${step % 12}`)!.node);
    else if (step % 11 === 0 && step) ctx.cache.addNode(makeNode(`n${(step + 1) % 12}`, { labels: { [ZONE]: `z${step % 4}` } }));
    else {
      const p = labelled(makePod(`k${step}`, { nodeName: node }), { app: step % 3 ? 'web' : 'db' });
      if (ctx.cache.nodeInfo(node)) ctx.cache.setPod(p);
      pods.push(p);
    }
    kept.refresh(ctx.cache.nodeInfos(), measure);
    assert.deepEqual(new Map([...(kept.totals.get(ZONE) ?? new Map())].sort()), new Map([...fresh()].sort()), `step ${step}`);
    assert.equal(kept.min(ZONE), Math.min(...fresh().values()));
  }
});
