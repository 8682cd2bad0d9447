// Score plugins and normalisation as upstream: DefaultNormalizeScore (plain and reversed), TaintToleration's
// PreferNoSchedule count, NodeAffinity's preferred weights, BalancedAllocation's std formula, LeastAllocated,
// ImageLocality's thresholds, and the weighted sum deciding the host.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultNormalizeScore } from '../../../src/scheduler/plugins/normalize.js';
import { balancedAllocationScore } from '../../../src/scheduler/plugins/balanced_allocation.js';
import { imageLocalityPriority, normalizedImageName, MIN_THRESHOLD, MAX_CONTAINER_THRESHOLD } from '../../../src/scheduler/plugins/image_locality.js';
import { intolerablePreferNoScheduleTaints } from '../../../src/scheduler/plugins/taint_toleration.js';
import { nodeAffinityScore } from '../../../src/scheduler/plugins/node_affinity.js';
import { leastAllocatedScore } from '../../../src/scheduler/plugins/node_resources.js';
import { numFeasibleNodesToFind } from '../../../src/scheduler/framework.js';
import { newNodeInfo } from '../../../src/scheduler/node_info.js';
import { scheduleOnSnapshot } from '../../../src/scheduler/schedule_one.js';
import { makeNode, makePod } from './fixtures.js';

test('DefaultNormalizeScore scales to the maximum (reverse: inverts); all-zero reverse gives 100', () => {
  const s = [
    { name: 'a', score: 2 },
    { name: 'b', score: 4 },
    { name: 'c', score: 0 },
  ];
  defaultNormalizeScore(s, false);
  assert.deepEqual(
    s.map((x) => x.score),
    [50, 100, 0],
  );
  const r = [
    { name: 'a', score: 1 },
    { name: 'b', score: 3 },
  ];
  defaultNormalizeScore(r, true);
  assert.deepEqual(
    r.map((x) => x.score),
    [67, 0],
  );
  const z = [{ name: 'a', score: 0 }];
  defaultNormalizeScore(z, true);
  assert.equal(z[0]!.score, 100);
});

test('TaintToleration counts untolerated PreferNoSchedule taints and prefers the node with fewest', () => {
  const soft = makeNode('soft');
  soft.spec = {
    taints: [
      { key: 'a', effect: 'PreferNoSchedule' },
      { key: 'b', effect: 'PreferNoSchedule' },
      { key: 'c', effect: 'NoExecute' },
    ],
  };
  const pod = makePod('p', {
    tolerations: [
      { key: 'a', operator: 'Exists' },
      { key: 'c', operator: 'Exists' },
    ],
  });
  assert.equal(intolerablePreferNoScheduleTaints(pod, soft), 1);
  assert.equal(
    intolerablePreferNoScheduleTaints(makePod('p', { tolerations: [{ key: 'b', operator: 'Exists', effect: 'NoSchedule' }] }), soft),
    2,
    'NoSchedule tolerations do not count',
  );
  for (let i = 0; i < 5; i++) assert.equal(scheduleOnSnapshot(makePod('p'), [soft, makeNode('clean')], []).host, 'clean');
});

test('NodeAffinity preferred terms add their weights (matchExpressions and matchFields)', () => {
  const node = makeNode('n1', { labels: { disk: 'ssd', zone: 'a' } });
  const pod = makePod('p', {
    affinity: {
      nodeAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [
          { weight: 10, preference: { matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] } },
          { weight: 5, preference: { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }] } },
          { weight: 7, preference: { matchExpressions: [{ key: 'zone', operator: 'In', values: ['b'] }] } },
        ],
      },
    },
  });
  assert.equal(nodeAffinityScore(pod, node), 15);
  for (let i = 0; i < 5; i++) assert.equal(scheduleOnSnapshot(pod, [makeNode('n0'), node, makeNode('n2')]).host, 'n1');
});

test('BalancedAllocation: (1 - |cpu fraction - memory fraction| / 2) * 100, and LeastAllocated', () => {
  assert.equal(balancedAllocationScore([0.5, 0.5]), 100);
  assert.equal(balancedAllocationScore([0.2, 0.6]), 80);
  assert.equal(balancedAllocationScore([1, 0]), 50);
  const ni = newNodeInfo(makeNode('n', { cpu: '4', memory: '8Gi' }), [makePod('e', { nodeName: 'n', requests: { cpu: '1', memory: '2Gi' } })]);
  // cpu (4000-2000)/4000 = 50, memory (8Gi-4Gi)/8Gi = 50
  assert.equal(leastAllocatedScore(makePod('p', { requests: { cpu: '1', memory: '2Gi' } }), ni), 50);
  // a pod without requests counts as 100m / 200Mi (non-zero defaults)
  assert.equal(leastAllocatedScore(makePod('p'), newNodeInfo(makeNode('m', { cpu: '1', memory: '2000Mi' }))), 90);
});

test('ImageLocality: image size scaled by spread, clamped between 23 MB and 1000 MB per container', () => {
  assert.equal(normalizedImageName('busybox'), 'busybox:latest');
  assert.equal(normalizedImageName('reg:5000/busybox'), 'reg:5000/busybox:latest');
  assert.equal(normalizedImageName('busybox:1.35'), 'busybox:1.35');
  assert.equal(imageLocalityPriority(0, 1), 0);
  assert.equal(imageLocalityPriority(MAX_CONTAINER_THRESHOLD * 2, 1), 100);
  assert.equal(imageLocalityPriority(MIN_THRESHOLD + (MAX_CONTAINER_THRESHOLD - MIN_THRESHOLD) / 2, 1), 50);
  const withImage = makeNode('has');
  withImage.status!.images = [{ names: ['docker.io/library/big:1', 'big:1'], sizeBytes: 900 * 1024 * 1024 }];
  const pod = makePod('p', { containers: [{ name: 'c', image: 'big:1' }] });
  for (let i = 0; i < 5; i++) assert.equal(scheduleOnSnapshot(pod, [makeNode('a'), withImage, makeNode('b')]).host, 'has');
});

test('numFeasibleNodesToFind: all below 100 nodes, adaptive percentage above', () => {
  assert.equal(numFeasibleNodesToFind(50), 50);
  assert.equal(numFeasibleNodesToFind(100), 100, 'never fewer than 100');
  assert.equal(numFeasibleNodesToFind(1000), 420);
  assert.equal(numFeasibleNodesToFind(5000), 500);
  assert.equal(numFeasibleNodesToFind(10000), 500);
  assert.equal(numFeasibleNodesToFind(5000, 100), 5000);
});
