// Per-node answers kept between cycles (nodeMemo in InterPodAffinity's PreFilter and PreScore) must follow
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
