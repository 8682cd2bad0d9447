// The garbage collector's dependency graph: edges follow ownerReferences, unknown owners become virtual nodes to
// verify, a deleted owner sends its dependents to be checked, foreground and orphan deletions start their work,
// and a dependent that stops blocking wakes its foreground-deleting owner.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject, OwnerReference } from '../../../src/api/types.js';
import { DependencyGraph } from '../../../src/controllers/garbagecollector/graph.js';

const namespacedKinds = new Set(['ConfigMap', 'ReplicaSet', 'Pod']);
const graph = () => new DependencyGraph((_v, kind) => (kind === 'Node' ? false : namespacedKinds.has(kind) ? true : undefined));

function obj(
  kind: string,
  name: string,
  uid: string,
  extra: { owners?: OwnerReference[]; finalizers?: string[]; deleting?: boolean; ns?: string } = {},
): KubeObject {
  return {
    apiVersion: kind === 'ReplicaSet' ? 'apps/v1' : 'v1',
    kind,
    metadata: {
      name,
      namespace: kind === 'Node' ? undefined : (extra.ns ?? 'default'),
      uid,
      ownerReferences: extra.owners,
      finalizers: extra.finalizers,
      deletionTimestamp: extra.deleting ? '2026-01-01T00:00:00Z' : undefined,
    },
  };
}
const ref = (kind: string, name: string, uid: string, block = false): OwnerReference => ({
  apiVersion: kind === 'ReplicaSet' ? 'apps/v1' : 'v1',
  kind,
  name,
  uid,
  ...(block ? { blockOwnerDeletion: true } : {}),
});
const uids = (nodes: { identity: { uid: string } }[]) => nodes.map((n) => n.identity.uid).sort();

test('an owner seen first only through a reference is a virtual node to verify; observing it makes it real', () => {
  const g = graph();
  const a = g.observe(obj('Pod', 'p', 'pod-1', { owners: [ref('ReplicaSet', 'rs', 'rs-1')] }));
  assert.deepEqual(uids(a.attemptToDelete), ['rs-1'], 'the unknown owner is checked');
  const rs = g.get('rs-1')!;
  assert.equal(rs.observed, false);
  assert.equal(rs.identity.namespace, 'default');
  assert.deepEqual(uids([...rs.dependents]), ['pod-1']);
  // a second dependent of a known owner queues nothing
  assert.deepEqual(g.observe(obj('Pod', 'q', 'pod-2', { owners: [ref('ReplicaSet', 'rs', 'rs-1')] })).attemptToDelete, []);
  g.observe(obj('ReplicaSet', 'rs', 'rs-1'));
  assert.equal(rs.observed, true);
  assert.equal(rs.dependents.size, 2);
});

test('deleting an owner sends its dependents to attemptToDelete; dependents leaving drop edges and virtual owners', () => {
  const g = graph();
  g.observe(obj('ConfigMap', 'owner', 'o'));
  g.observe(obj('ConfigMap', 'd1', 'd1', { owners: [ref('ConfigMap', 'owner', 'o')] }));
  g.observe(obj('ConfigMap', 'd2', 'd2', { owners: [ref('ConfigMap', 'owner', 'o')] }));
  assert.deepEqual(uids(g.remove('o').attemptToDelete), ['d1', 'd2']);
  // a dependent whose create was in flight while the owner's deletion was seen: it is checked too
  assert.deepEqual(uids(g.observe(obj('ConfigMap', 'late', 'late', { owners: [ref('ConfigMap', 'owner', 'o')] })).attemptToDelete), ['late']);
  g.observe(obj('ConfigMap', 'late', 'late'));
  // removing the references takes the dependents out of the (now virtual) owner, which then leaves the graph
  g.observe(obj('ConfigMap', 'd1', 'd1'));
  g.observe(obj('ConfigMap', 'd2', 'd2'));
  assert.equal(g.get('o'), undefined);
  // an owner verified absent by a live read: its dependents are checked
  g.observe(obj('ConfigMap', 'd3', 'd3', { owners: [ref('ConfigMap', 'ghost', 'g')] }));
  assert.deepEqual(uids(g.removeVirtual('g').attemptToDelete), ['d3']);
  assert.equal(g.get('g'), undefined);
});

test('foreground deletion queues every dependent and the owner; a blocking dependent gone or unblocked wakes the owner', () => {
  const g = graph();
  g.observe(obj('ConfigMap', 'owner', 'o'));
  g.observe(obj('ConfigMap', 'b', 'b', { owners: [ref('ConfigMap', 'owner', 'o', true)] }));
  g.observe(obj('ConfigMap', 'c', 'c', { owners: [ref('ConfigMap', 'owner', 'o', true)] }));
  g.observe(obj('ConfigMap', 'f', 'f', { owners: [ref('ConfigMap', 'owner', 'o')] }));
  const a = g.observe(obj('ConfigMap', 'owner', 'o', { deleting: true, finalizers: ['foregroundDeletion'] }));
  assert.deepEqual(uids(a.attemptToDelete), ['b', 'c', 'f', 'o']);
  const owner = g.get('o')!;
  assert.equal(owner.deletingDependents, true);
  assert.deepEqual(uids(owner.blockingDependents()), ['b', 'c']);
  // the same state again starts nothing new
  assert.deepEqual(g.observe(obj('ConfigMap', 'owner', 'o', { deleting: true, finalizers: ['foregroundDeletion'] })).attemptToDelete, []);
  assert.deepEqual(uids(g.remove('b').attemptToDelete), ['o']);
  // c drops blockOwnerDeletion: the owner is looked at again and c no longer blocks it
  assert.deepEqual(uids(g.observe(obj('ConfigMap', 'c', 'c', { owners: [ref('ConfigMap', 'owner', 'o')] })).attemptToDelete), ['o']);
  assert.deepEqual(owner.blockingDependents(), []);
});

test('an owner deleted with the orphan finalizer is queued for orphaning once, also when first seen that way', () => {
  const g = graph();
  g.observe(obj('ConfigMap', 'owner', 'o'));
  assert.deepEqual(uids(g.observe(obj('ConfigMap', 'owner', 'o', { deleting: true, finalizers: ['orphan'] })).attemptToOrphan), ['o']);
  assert.deepEqual(g.observe(obj('ConfigMap', 'owner', 'o', { deleting: true, finalizers: ['orphan'] })).attemptToOrphan, []);
  const fresh = graph(); // after a restart the informer's first list shows the owner already deleting
  assert.deepEqual(uids(fresh.observe(obj('ConfigMap', 'owner', 'o', { deleting: true, finalizers: ['orphan'] })).attemptToOrphan), ['o']);
});

test('a reference to a namespaced owner in another namespace is reported and the dependent checked', () => {
  const g = graph();
  g.observe(obj('ConfigMap', 'owner', 'o', { ns: 'a' }));
  const a = g.observe(obj('ConfigMap', 'x', 'x', { ns: 'b', owners: [ref('ConfigMap', 'owner', 'o')] }));
  assert.equal(a.invalidNamespace.length, 1);
  assert.equal(a.invalidNamespace[0]!.ownerNamespace, 'b');
  assert.deepEqual(uids(a.attemptToDelete), ['x']);
  // the other order: the dependent first (virtual owner in b), then the owner observed in a
  const g2 = graph();
  g2.observe(obj('ConfigMap', 'x', 'x', { ns: 'b', owners: [ref('ConfigMap', 'owner', 'o')] }));
  const b = g2.observe(obj('ConfigMap', 'owner', 'o', { ns: 'a' }));
  assert.equal(b.invalidNamespace.length, 1);
  assert.deepEqual(uids(b.attemptToDelete), ['x']);
  // a cluster-scoped owner of a namespaced dependent is fine, and its virtual node has no namespace
  const g3 = graph();
  const c = g3.observe(obj('ConfigMap', 'y', 'y', { owners: [ref('Node', 'n1', 'n')] }));
  assert.equal(c.invalidNamespace.length, 0);
  assert.equal(g3.get('n')!.identity.namespace, '');
});
