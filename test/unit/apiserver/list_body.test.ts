// The list body spliced from stored JSON: small lists in one write with a Content-Length, big ones chunked
// piece by piece (a 150,000-pod list is more than one JS string holds) and still one valid PodList-style body;
// paging over HTTP (consistent later pages, 410 Expired for a token past the history, remainingItemCount).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { call, configMap, startServer } from './fixture.js';
import { openStorage } from '../../../src/storage/index.js';
import { bootstrapSystemNamespaces, createApiServer, defaultRegistry } from '../../../src/apiserver/assemble.js';

test('a list under 8 MiB is one write with a Content-Length', async () => {
  const s = await startServer();
  try {
    for (let i = 0; i < 3; i++) assert.equal((await call(s.base, 'POST', '/api/v1/namespaces/default/configmaps', configMap(`cm-${i}`))).status, 201);
    const res = await fetch(`${s.base}/api/v1/namespaces/default/configmaps`);
    const text = await res.text();
    assert.equal(res.headers.get('content-length'), String(Buffer.byteLength(text)));
    const list = JSON.parse(text);
    assert.equal(list.kind, 'ConfigMapList');
    assert.deepEqual(
      list.items.map((c: { metadata: { name: string } }) => c.metadata.name),
      ['cm-0', 'cm-1', 'cm-2'],
    );
  } finally {
    await s.close();
  }
});

test('a list over 8 MiB is chunked and arrives whole, in key order, with its metadata', async () => {
  const s = await startServer();
  try {
    // 24 × ~400 KB: ~9.6 MB of items, multi-byte characters included (multi-byte characters pass whole: pieces are cut between items)
    const value = (i: number) => `${'x'.repeat(400_000)}é${i}`;
    for (let i = 0; i < 24; i++) {
      const r = await call(s.base, 'POST', '/api/v1/namespaces/default/configmaps', configMap(`big-${String(i).padStart(2, '0')}`, { v: value(i) }));
      assert.equal(r.status, 201);
    }
    const res = await fetch(`${s.base}/api/v1/namespaces/default/configmaps`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-length'), null);
    assert.equal(res.headers.get('transfer-encoding'), 'chunked');
    assert.equal(res.headers.get('content-type'), 'application/json');
    const list = JSON.parse(await res.text());
    assert.equal(list.kind, 'ConfigMapList');
    assert.equal(list.apiVersion, 'v1');
    assert.match(list.metadata.resourceVersion, /^\d+$/);
    assert.equal(list.items.length, 24);
    list.items.forEach((c: { metadata: { name: string }; data: { v: string } }, i: number) => {
      assert.equal(c.metadata.name, `big-${String(i).padStart(2, '0')}`);
      assert.equal(c.data.v, value(i));
    });
    // paging still cuts the same list into pages with a continue token
    const page = await call(s.base, 'GET', '/api/v1/namespaces/default/configmaps?limit=10');
    assert.equal((page.body.items as unknown[]).length, 10);
    assert.equal((page.body.metadata as { remainingItemCount: number }).remainingItemCount, 14);
  } finally {
    await s.close();
  }
});

test('paged lists over HTTP: later pages at the first revision, 410 Expired once the history is past it, no remainingItemCount under a selector', async () => {
  const storage = openStorage('memory', { historySize: 8 });
  const api = createApiServer(storage, defaultRegistry());
  await bootstrapSystemNamespaces(api);
  const base = `http://127.0.0.1:${(await api.listen('127.0.0.1', 0)).port}`;
  try {
    for (let i = 0; i < 4; i++) assert.equal((await call(base, 'POST', '/api/v1/namespaces/default/configmaps', configMap(`p-${i}`))).status, 201);
    const first = await call(base, 'GET', '/api/v1/namespaces/default/configmaps?limit=2');
    const meta = first.body.metadata as { continue: string; resourceVersion: string; remainingItemCount: number };
    assert.equal(meta.remainingItemCount, 2);
    assert.equal((await call(base, 'DELETE', '/api/v1/namespaces/default/configmaps/p-3')).status, 200);
    const second = await call(base, 'GET', `/api/v1/namespaces/default/configmaps?limit=2&continue=${encodeURIComponent(meta.continue)}`);
    assert.equal(second.status, 200);
    assert.deepEqual(
      (second.body.items as { metadata: { name: string } }[]).map((c) => c.metadata.name),
      ['p-2', 'p-3'],
    );
    assert.equal((second.body.metadata as { resourceVersion: string }).resourceVersion, meta.resourceVersion);
    const selected = await call(base, 'GET', '/api/v1/namespaces/default/configmaps?limit=1&labelSelector=none!%3Dx');
    assert.ok((selected.body.metadata as { continue?: string }).continue);
    assert.equal((selected.body.metadata as { remainingItemCount?: number }).remainingItemCount, undefined);
    for (let i = 0; i < 8; i++) await call(base, 'POST', '/api/v1/namespaces/kube-public/configmaps', configMap(`later-${i}`));
    const gone = await call(base, 'GET', `/api/v1/namespaces/default/configmaps?limit=2&continue=${encodeURIComponent(meta.continue)}`);
    assert.equal(gone.status, 410);
    assert.equal(gone.body.kind, 'Status');
    assert.equal(gone.body.reason, 'Expired');
    assert.match(String(gone.body.message), /^The provided continue parameter is too old to display a consistent list result/);
  } finally {
    await api.close();
    await storage.close();
  }
});
