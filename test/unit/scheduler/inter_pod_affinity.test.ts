// InterPodAffinity against upstream's semantics: required anti-affinity, the symmetric rule (existing pods'
// anti-affinity against the incoming pod), required affinity (incl. the first pod of a group), namespaces and
// namespaceSelector, and the preferred-term score normalised between the lowest and highest node.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Namespace, Pod, PodAffinityTerm } from '../../../src/api/core/v1/types.js';
import { scheduleOnSnapshot } from '../../../src/scheduler/schedule_one.js';
import { makeNode, makePod } from './fixtures.js';

const HOST = 'kubernetes.io/hostname';
const ZONE = 'topology.kubernetes.io/zone';
const nodes = () => [
  makeNode('n1', { labels: { [HOST]: 'n1', [ZONE]: 'a' } }),
  makeNode('n2', { labels: { [HOST]: 'n2', [ZONE]: 'a' } }),
  makeNode('n3', { labels: { [HOST]: 'n3', [ZONE]: 'b' } }),
];

function pod(
  name: string,
  labels: Record<string, string>,
  o: { nodeName?: string; ns?: string; affinity?: Pod['spec'] extends infer S ? (S extends { affinity?: infer A } ? A : never) : never } = {},
): Pod {
  const p = makePod(name, { nodeName: o.nodeName, ns: o.ns, ...(o.affinity ? { affinity: o.affinity } : {}) });
  p.metadata.labels = labels;
  return p;
}

const term = (labels: Record<string, string>, topologyKey = HOST, extra: Partial<PodAffinityTerm> = {}): PodAffinityTerm => ({
  labelSelector: { matchLabels: labels },
  topologyKey,
  ...extra,
});

test('required anti-affinity spreads replicas over hostnames and names the rule when none is left', () => {
  const anti = { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ app: 'web' })] } };
  const existing = [pod('w1', { app: 'web' }, { nodeName: 'n1', affinity: anti }), pod('w2', { app: 'web' }, { nodeName: 'n2', affinity: anti })];
  assert.equal(scheduleOnSnapshot(pod('w3', { app: 'web' }, { affinity: anti }), nodes(), existing).host, 'n3');
  const full = [...existing, pod('w3', { app: 'web' }, { nodeName: 'n3', affinity: anti })];
  const r = scheduleOnSnapshot(pod('w4', { app: 'web' }, { affinity: anti }), nodes(), full);
  assert.equal(
    r.message,
    "0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.",
  );
});

test("symmetry: an existing pod's anti-affinity keeps a matching newcomer off its topology domain", () => {
  const existing = [
    pod(
      'guard',
      { app: 'guard' },
      { nodeName: 'n1', affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ app: 'db' }, ZONE)] } } },
    ),
  ];
  const r = scheduleOnSnapshot(pod('db', { app: 'db' }), nodes(), existing);
  assert.equal(r.host, 'n3', 'n1 and n2 share zone a with the guard');
  assert.equal(r.statuses.get('n2')?.reasons[0], "node(s) didn't satisfy existing pods anti-affinity rules");
  assert.equal(scheduleOnSnapshot(pod('other', { app: 'other' }), nodes(), existing).feasibleNodes, 3);
});

test('required affinity: into the matching domain; the first pod of a group that matches itself may go anywhere', () => {
  const aff = { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ app: 'cache' }, ZONE)] } };
  const existing = [pod('c1', { app: 'cache' }, { nodeName: 'n3' })];
  assert.equal(scheduleOnSnapshot(pod('x', { app: 'x' }, { affinity: aff }), nodes(), existing).host, 'n3');
  const none = scheduleOnSnapshot(pod('x', { app: 'x' }, { affinity: aff }), nodes(), []);
  assert.equal(
    none.message,
    "0/3 nodes are available: 3 node(s) didn't match pod affinity rules. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
  );
  assert.equal(scheduleOnSnapshot(pod('c0', { app: 'cache' }, { affinity: aff }), nodes(), []).feasibleNodes, 3, 'self-matching first pod');
});

test("terms match the pod's own namespace by default, named namespaces, or namespaces the namespaceSelector selects", () => {
  const existing = [pod('c1', { app: 'cache' }, { nodeName: 'n3', ns: 'team-a' })];
  const mk = (extra: Partial<PodAffinityTerm>) =>
    pod('x', { app: 'x' }, { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ app: 'cache' }, HOST, extra)] } } });
  const ns: Namespace[] = [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a', labels: { team: 'a' } } }];
  const src = { namespace: (n: string) => ns.find((x) => x.metadata.name === n) };
  assert.equal(scheduleOnSnapshot(mk({}), nodes(), existing, src).feasibleNodes, 0, 'default namespace has no cache pod');
  assert.equal(scheduleOnSnapshot(mk({ namespaces: ['team-a'] }), nodes(), existing, src).host, 'n3');
  assert.equal(scheduleOnSnapshot(mk({ namespaceSelector: { matchLabels: { team: 'a' } } }), nodes(), existing, src).host, 'n3');
  assert.equal(scheduleOnSnapshot(mk({ namespaceSelector: {} }), nodes(), existing, src).host, 'n3', 'an empty namespaceSelector selects all');
  assert.equal(scheduleOnSnapshot(mk({ namespaceSelector: { matchLabels: { team: 'b' } } }), nodes(), existing, src).feasibleNodes, 0);
});

test('preferred affinity and anti-affinity steer the score; existing pods’ preferences count too', () => {
  const pref = {
    podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: term({ app: 'cache' }, ZONE) }] },
  };
  const existing = [pod('c1', { app: 'cache' }, { nodeName: 'n3' })];
  for (let i = 0; i < 5; i++) assert.equal(scheduleOnSnapshot(pod('x', { app: 'x' }, { affinity: pref }), nodes(), existing).host, 'n3');
  const avoid = {
    podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: term({ app: 'cache' }, ZONE) }] },
  };
  for (let i = 0; i < 5; i++) assert.notEqual(scheduleOnSnapshot(pod('x', { app: 'x' }, { affinity: avoid }), nodes(), existing).host, 'n3');
  // the existing pod prefers company in its zone: a matching newcomer follows it
  const friendly = [
    pod(
      'c1',
      { app: 'cache' },
      {
        nodeName: 'n3',
        affinity: { podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 50, podAffinityTerm: term({ app: 'x' }, ZONE) }] } },
      },
    ),
  ];
  for (let i = 0; i < 5; i++) assert.equal(scheduleOnSnapshot(pod('x', { app: 'x' }), nodes(), friendly).host, 'n3');
});
