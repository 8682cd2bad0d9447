// buildTable: the meta.k8s.io/v1 Table envelope, includeObject variants, noHeaders and list metadata.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../src/api/types.js';
import { buildTable, printerFor } from '../../../src/apiserver/printers/index.js';

const now = new Date('2024-05-01T12:00:00Z');
const cm = (name: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'default', uid: `uid-${name}`, resourceVersion: '7', creationTimestamp: '2024-05-01T11:59:55Z', labels: { a: 'b' } },
  data: { k: 'v' },
});

test('Metadata (kubectl default): rows carry PartialObjectMetadata', () => {
  const t = buildTable(printerFor('', 'configmaps'), [cm('one'), cm('two')], {
    includeObject: 'Metadata',
    listMeta: { resourceVersion: '42', continue: 'tok', remainingItemCount: 3 },
    now,
  });
  assert.equal(t.kind, 'Table');
  assert.equal(t.apiVersion, 'meta.k8s.io/v1');
  assert.deepEqual(t.metadata, { resourceVersion: '42', continue: 'tok', remainingItemCount: 3 });
  assert.deepEqual(
    t.columnDefinitions!.map((c) => c.name),
    ['Name', 'Data', 'Age'],
  );
  for (const c of t.columnDefinitions!) {
    assert.deepEqual(Object.keys(c).sort(), ['description', 'format', 'name', 'priority', 'type']);
    assert.ok(c.description.length > 0);
  }
  assert.equal(t.rows.length, 2);
  assert.deepEqual(t.rows[0]!.cells, ['one', 1, '5s']);
  assert.deepEqual(t.rows[1]!.object, { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: cm('two').metadata });
  assert.equal('data' in (t.rows[1]!.object as object), false);
  // JSON shape: the keys kubectl's decoder expects, in upstream order.
  assert.deepEqual(Object.keys(JSON.parse(JSON.stringify(t))), ['kind', 'apiVersion', 'metadata', 'columnDefinitions', 'rows']);
});

test('Object: rows carry the full object', () => {
  const t = buildTable(printerFor('', 'configmaps'), [cm('one')], { includeObject: 'Object', now });
  assert.deepEqual(t.rows[0]!.object, cm('one'));
  assert.deepEqual(t.metadata, {});
});

test('None: rows carry no object; noHeaders drops the column definitions', () => {
  const t = buildTable(printerFor('', 'configmaps'), [cm('one')], { includeObject: 'None', noHeaders: true, now });
  assert.equal('object' in t.rows[0]!, false);
  assert.equal(t.columnDefinitions, undefined);
  assert.deepEqual(t.rows[0]!.cells, ['one', 1, '5s']);
});

test('empty list still has column definitions and an empty rows array', () => {
  const t = buildTable(printerFor('', 'pods'), [], { includeObject: 'Metadata', listMeta: { resourceVersion: '1' }, now });
  assert.deepEqual(t.rows, []);
  assert.equal(t.columnDefinitions!.length, 9);
  assert.deepEqual(t.metadata, { resourceVersion: '1' });
});

test('column definitions are copies: mutating a table does not touch the printer', () => {
  const t = buildTable(printerFor('', 'configmaps'), [], { includeObject: 'None', now });
  t.columnDefinitions![0]!.name = 'changed';
  assert.equal(printerFor('', 'configmaps').columns[0]!.name, 'Name');
});

test('now defaults to the current time', () => {
  const fresh = cm('fresh');
  fresh.metadata.creationTimestamp = new Date().toISOString();
  const t = buildTable(printerFor('', 'configmaps'), [fresh], { includeObject: 'None' });
  assert.match(String(t.rows[0]!.cells[2]), /^[0-2]s$/);
});
