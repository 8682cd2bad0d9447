// The indexer and listers: namespace, owner-UID and node-name indices follow adds, updates (re-filing) and
// deletes; custom indices; listers by namespace, label selector, owner and node.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../src/api/types.js';
import { Indexer, NamespaceIndex, NodeNameIndex, OwnerUIDIndex } from '../../../src/client/indexer.js';
import { Lister } from '../../../src/client/listers.js';

const pod = (ns: string, name: string, o: { node?: string; owner?: string; labels?: Record<string, string>; rv?: string } = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    namespace: ns,
    name,
    resourceVersion: o.rv ?? '1',
    labels: o.labels,
    ownerReferences: o.owner ? [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: o.owner }] : undefined,
  },
  spec: o.node ? { nodeName: o.node } : {},
});
const names = (os: KubeObject[]) => os.map((o) => o.metadata.name).sort();

describe('Indexer', () => {
  it('files objects by namespace, owner UID and node name, and re-files them on update', () => {
    const ix = new Indexer();
    ix.set(pod('a', 'p1', { node: 'n1', owner: 'u1' }));
    ix.set(pod('a', 'p2', { node: 'n2', owner: 'u1' }));
    ix.set(pod('b', 'p1', { node: 'n1' }));
    assert.deepEqual(names(ix.byIndex(NamespaceIndex, 'a')), ['p1', 'p2']);
    assert.deepEqual(names(ix.byIndex(OwnerUIDIndex, 'u1')), ['p1', 'p2']);
    assert.deepEqual(
      ix
        .byIndex(NodeNameIndex, 'n1')
        .map((o) => `${o.metadata.namespace}/${o.metadata.name}`)
        .sort(),
      ['a/p1', 'b/p1'],
    );
    // p2 moves to n1 and loses its owner
    const old = ix.set(pod('a', 'p2', { node: 'n1', rv: '2' }));
    assert.equal(old?.metadata.resourceVersion, '1');
    assert.equal(ix.byIndex(NodeNameIndex, 'n2').length, 0);
    assert.deepEqual(names(ix.byIndex(OwnerUIDIndex, 'u1')), ['p1']);
    assert.equal(ix.byIndex(NodeNameIndex, 'n1').length, 3);
    assert.deepEqual(ix.indexValues(NodeNameIndex), ['n1']);
    ix.delete('a/p1');
    assert.equal(ix.byIndex(OwnerUIDIndex, 'u1').length, 0);
    assert.deepEqual(ix.indexValues(OwnerUIDIndex), []);
    assert.equal(ix.size, 2);
    assert.throws(() => ix.byIndex('nope', 'x'), /does not exist/);
  });

  it('adds a custom index over what it already holds', () => {
    const ix = new Indexer();
    ix.set(pod('a', 'p1', { labels: { app: 'web' } }));
    ix.set(pod('a', 'p2', { labels: { app: 'db' } }));
    ix.addIndexer('app', (o) => (o.metadata.labels?.app ? [o.metadata.labels.app] : []));
    assert.deepEqual(names(ix.byIndex('app', 'web')), ['p1']);
    ix.set(pod('a', 'p3', { labels: { app: 'web' } }));
    assert.deepEqual(names(ix.byIndex('app', 'web')), ['p1', 'p3']);
    assert.throws(() => ix.addIndexer('app', () => []), /already exists/);
  });
});

describe('Lister', () => {
  it('lists all, by namespace, by labels, by owner and by node; gets by name', () => {
    const ix = new Indexer();
    ix.set(pod('a', 'p1', { node: 'n1', owner: 'u1', labels: { app: 'web' } }));
    ix.set(pod('b', 'p2', { node: 'n2', labels: { app: 'db' } }));
    const l = new Lister(ix);
    assert.equal(l.list().length, 2);
    assert.deepEqual(names(l.list((lb) => lb.app === 'db')), ['p2']);
    assert.deepEqual(names(l.namespace('a').list()), ['p1']);
    assert.equal(l.namespace('a').get('p1')?.metadata.name, 'p1');
    assert.equal(l.namespace('b').get('p1'), undefined);
    assert.deepEqual(names(l.byOwner('u1')), ['p1']);
    assert.deepEqual(names(l.byNode('n2')), ['p2']);
    ix.set({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' } });
    assert.equal(l.get('n1')?.kind, 'Node');
  });
});
