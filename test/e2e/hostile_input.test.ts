// Hostile and unusual requests against a real `k8ts server`: each answers upstream's Status, changes
// nothing, and the server stays up and bounded. Raw HTTP (node:http) is used where fetch would normalize
// the path (`..`, `%2E%2E`) or refuse the request.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type http from 'node:http';
import https from 'node:https';
import { readFileSync } from 'node:fs';
import { TestCluster } from '../helpers/cluster.js';

let c: TestCluster;
before(async () => {
  c = await new TestCluster({ store: 'memory' }).start();
});
after(async () => {
  await c.cleanup();
});

interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  body: any;
}

/** One request with the path sent exactly as given. */
function raw(method: string, path: string, body?: string | Buffer, headers: Record<string, string> = {}): Promise<RawResponse> {
  const u = new URL(c.server);
  return new Promise((resolve, reject) => {
    const h: Record<string, string> = body !== undefined ? { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)) } : {};
    const req = https.request({ host: u.hostname, port: u.port, ...c.tls(), method, path, headers: { ...h, ...headers }, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch {
          parsed = undefined;
        }
        resolve({ status: res.statusCode!, headers: res.headers, text, body: parsed });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

function assertStatus(r: { status: number; body: any; text: string }, code: number, reason: string, message?: RegExp) {
  assert.equal(r.status, code, r.text.slice(0, 500));
  assert.equal(r.body?.kind, 'Status', r.text.slice(0, 500));
  assert.equal(r.body.code, code);
  assert.equal(r.body.reason, reason);
  if (message) assert.match(r.body.message, message);
}

async function names(path: string): Promise<string[]> {
  const r = await c.api('GET', path);
  assert.equal(r.status, 200, r.text);
  // kube-root-ca.crt is the root-CA publisher's, written in every namespace on its own schedule
  return r.body.items
    .filter((o: any) => o.metadata.name !== 'kube-root-ca.crt')
    .map((o: any) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`)
    .sort();
}

async function ensureNamespace(ns: string) {
  const r = await c.api('POST', '/api/v1/namespaces', { metadata: { name: ns } });
  assert.ok(r.status === 201 || r.status === 409, r.text);
}

async function configMap(ns: string, name: string, data: Record<string, string> = { k: 'v' }) {
  const r = await c.api('POST', `/api/v1/namespaces/${ns}/configmaps`, { metadata: { name }, data });
  assert.equal(r.status, 201, r.text);
  return r.body;
}

test('DELETE (and POST) on the all-namespaces collection of a namespaced kind is 405 and deletes nothing', async () => {
  await ensureNamespace('hostile-a');
  await ensureNamespace('hostile-b');
  await configMap('hostile-a', 'one');
  await configMap('hostile-b', 'two');
  const before = await names('/api/v1/configmaps');
  assertStatus(await raw('DELETE', '/api/v1/configmaps'), 405, 'MethodNotAllowed');
  assertStatus(await raw('DELETE', '/api/v1/configmaps?labelSelector='), 405, 'MethodNotAllowed');
  assertStatus(await raw('POST', '/api/v1/configmaps', JSON.stringify({ metadata: { name: 'x', namespace: 'hostile-a' } })), 405, 'MethodNotAllowed');
  assertStatus(await raw('DELETE', '/api/v1/configmaps/one'), 404, 'NotFound');
  assert.deepEqual(await names('/api/v1/configmaps'), before);
  // list and watch of all namespaces still work; kubectl's own --all-namespaces delete goes per namespace
  const k = await c.kubectl(['get', 'configmaps', '-A', '-o', 'name']);
  assert.equal(k.code, 0, k.stderr);
  assert.match(k.stdout, /configmap\/one/);
});

test('`..`, `.`, `%2E%2E` and `/` in a namespace or name are 400 and touch nothing', async () => {
  await ensureNamespace('hostile-dots');
  await configMap('hostile-dots', 'keep');
  const before = await names('/api/v1/configmaps');
  const cases: [string, string, RegExp][] = [
    ['DELETE', '/api/v1/namespaces/%2E%2E/configmaps', /^Namespace parameter invalid: "\.\.": may not be '\.\.'$/],
    ['DELETE', '/api/v1/namespaces/../configmaps', /may not be '\.\.'/],
    ['DELETE', '/api/v1/namespaces/hostile-dots/configmaps/..', /^Name parameter invalid: "\.\.": may not be '\.\.'$/],
    ['DELETE', '/api/v1/namespaces/hostile-dots/configmaps/%2E%2E', /^Name parameter invalid: "\.\.": may not be '\.\.'$/],
    ['DELETE', '/api/v1/namespaces/hostile-dots/configmaps/%2e%2e', /may not be '\.\.'/],
    ['GET', '/api/v1/namespaces/hostile-dots/configmaps/.', /may not be '\.'/],
    ['PUT', '/api/v1/namespaces/hostile-dots/configmaps/a%2Fb', /may not contain '\/'/],
    ['DELETE', '/api/v1/namespaces/..', /may not be '\.\.'/],
  ];
  for (const [method, path, msg] of cases) assertStatus(await raw(method, path, method === 'PUT' ? '{}' : undefined), 400, 'BadRequest', msg);
  assert.deepEqual(await names('/api/v1/configmaps'), before);
  const ns = await c.api('GET', '/api/v1/namespaces/hostile-dots');
  assert.equal(ns.status, 200);
  assert.equal(ns.body.metadata.deletionTimestamp, undefined);
});

test('malformed percent-encoding in the path is 400, not 500', async () => {
  for (const path of [
    '/api/v1/namespaces/%/pods',
    '/api/v1/namespaces/%zz/pods',
    '/api/v1/namespaces/default/pods/%E0%A4%A',
    '/apis/coordination.k8s.io/v1/namespaces/%/leases',
  ]) {
    assertStatus(await raw('GET', path), 400, 'BadRequest', /invalid URL escape/);
  }
});

test('deeply nested bodies are 400 BadRequest (YAML flow 1,000 deep, JSON 10,000 deep) and the server lives on', async () => {
  await configMap('default', 'deep-target');
  const yaml = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deep}\ndata:\n  a: ${'['.repeat(1000)}${']'.repeat(1000)}\n`;
  assertStatus(
    await raw('POST', '/api/v1/namespaces/default/configmaps', yaml, { 'Content-Type': 'application/yaml' }),
    400,
    'BadRequest',
    /exceeded max depth/,
  );
  const arr = '['.repeat(10_000) + ']'.repeat(10_000);
  assertStatus(await raw('POST', '/api/v1/namespaces/default/configmaps', arr), 400, 'BadRequest', /exceeded max depth/);
  assertStatus(
    await raw('POST', '/api/v1/namespaces/default/configmaps', `{"metadata":{"name":"deep"},"data":{"a":${arr}}}`),
    400,
    'BadRequest',
    /exceeded max depth/,
  );
  for (const type of ['application/merge-patch+json', 'application/strategic-merge-patch+json']) {
    assertStatus(
      await raw('PATCH', '/api/v1/namespaces/default/configmaps/deep-target', `{"data":{"a":${arr}}}`, { 'Content-Type': type }),
      400,
      'BadRequest',
      /exceeded max depth/,
    );
  }
  assertStatus(
    await raw('PATCH', '/api/v1/namespaces/default/configmaps/deep-target', `[{"op":"add","path":"/data/x","value":${arr}}]`, {
      'Content-Type': 'application/json-patch+json',
    }),
    400,
    'BadRequest',
  );
  assertStatus(await raw('DELETE', '/api/v1/namespaces/default/configmaps/deep-target', `{"propagationPolicy":${arr}}`), 400, 'BadRequest');
  assertStatus(
    await raw('PATCH', '/api/v1/namespaces/default/configmaps/deep-target?fieldManager=x', yaml.replace('name: deep', 'name: deep-target'), {
      'Content-Type': 'application/apply-patch+yaml',
    }),
    400,
    'BadRequest',
  );
  const cm = await c.api('GET', '/api/v1/namespaces/default/configmaps/deep-target');
  assert.deepEqual(cm.body.data, { k: 'v' });
  assert.equal((await c.api('GET', '/readyz')).status, 200);
  assert.equal((await c.api('GET', '/api/v1/namespaces/default/configmaps/deep')).status, 404);
});

test('JSON patch copy amplification is refused (422) and the object is unchanged', async () => {
  const cm = await configMap('default', 'copy-bomb', { a: 'x'.repeat(1024) });
  const ops: unknown[] = [{ op: 'add', path: '/data/b', value: 'y' }];
  for (let i = 0; i < 20; i++) ops.push({ op: 'copy', from: '/data', path: `/metadata/annotations` }, { op: 'copy', from: '/metadata', path: `/data/c${i}` });
  const r = await raw('PATCH', '/api/v1/namespaces/default/configmaps/copy-bomb', JSON.stringify(ops), { 'Content-Type': 'application/json-patch+json' });
  assert.ok(r.status >= 400 && r.status < 500, r.text.slice(0, 300));
  assert.equal(r.body.kind, 'Status');
  assert.match(JSON.stringify(r.body), /accumulated size increase of copy is \d+, exceeding the limit 3145728|Unable to/);
  const after = await c.api('GET', '/api/v1/namespaces/default/configmaps/copy-bomb');
  assert.equal(after.body.metadata.resourceVersion, cm.metadata.resourceVersion);
});

test("self-copies doubling the object past the copy limit answer 422 with json-patch's message", async () => {
  const cm = await configMap('default', 'doubling', { a: 'x'.repeat(1024) });
  const ops: unknown[] = [{ op: 'add', path: '/metadata/annotations', value: { a: 'x'.repeat(1024) } }];
  for (let i = 0; i < 20; i++) ops.push({ op: 'copy', from: '/metadata/annotations', path: `/metadata/annotations/n${i}` });
  const r = await raw('PATCH', '/api/v1/namespaces/default/configmaps/doubling', JSON.stringify(ops), { 'Content-Type': 'application/json-patch+json' });
  assertStatus(r, 422, 'Invalid');
  assert.match(r.body.details.causes[0].message, /^Unable to complete the copy, the accumulated size increase of copy is \d+, exceeding the limit 3145728$/);
  assert.equal((await c.api('GET', '/api/v1/namespaces/default/configmaps/doubling')).body.metadata.resourceVersion, cm.metadata.resourceVersion);
});

test('duplicate JSON keys: Strict is 400 strict decoding error, Warn warns, Ignore accepts', async () => {
  const body = '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"dup-a","name":"dup-b"},"data":{"k":"1","k":"2"}}';
  const strict = await raw('POST', '/api/v1/namespaces/default/configmaps?fieldValidation=Strict', body);
  assertStatus(strict, 400, 'BadRequest', /^strict decoding error: duplicate field "name", duplicate field "k"$/);
  assert.equal((await c.api('GET', '/api/v1/namespaces/default/configmaps/dup-b')).status, 404);
  const warn = await raw('POST', '/api/v1/namespaces/default/configmaps?fieldValidation=Warn', body);
  assert.equal(warn.status, 201, warn.text);
  assert.match(String(warn.headers.warning), /duplicate field \\?"name\\?"/);
  assert.equal(warn.body.metadata.name, 'dup-b');
  assert.equal(warn.body.data.k, '2');
  const ignore = await raw('PUT', '/api/v1/namespaces/default/configmaps/dup-b?fieldValidation=Ignore', body.replace('"dup-a"', '"dup-b"'));
  assert.equal(ignore.status, 200, ignore.text);
  assert.equal(ignore.headers.warning, undefined);
});

test('int64 at its maximum decodes: activeDeadlineSeconds fails validation (422), terminationGracePeriodSeconds is stored', async () => {
  const pod = (name: string, field: string) =>
    `{"apiVersion":"v1","kind":"Pod","metadata":{"name":"${name}"},"spec":{"containers":[{"name":"c","image":"busybox:1.35"}],"${field}":9223372036854775807}}`;
  const ads = await raw('POST', '/api/v1/namespaces/default/pods?fieldValidation=Strict', pod('int64-ads', 'activeDeadlineSeconds'));
  assertStatus(ads, 422, 'Invalid', /spec\.activeDeadlineSeconds: Invalid value: .*must be between 1 and 2147483647, inclusive/);
  const tgp = await raw('POST', '/api/v1/namespaces/default/pods?fieldValidation=Strict', pod('int64-tgp', 'terminationGracePeriodSeconds'));
  assert.equal(tgp.status, 201, tgp.text);
  assert.ok(tgp.body.spec.terminationGracePeriodSeconds >= 2 ** 63 - 1024);
  const over = await raw(
    'POST',
    '/api/v1/namespaces/default/pods',
    pod('int64-over', 'terminationGracePeriodSeconds').replace('9223372036854775807', '92233720368547758070'),
  );
  assertStatus(over, 400, 'BadRequest', /cannot unmarshal number/);
  await c.api('DELETE', '/api/v1/namespaces/default/pods/int64-tgp?gracePeriodSeconds=0');
});

test('?watch=True (any value but 0/false) starts a watch', async () => {
  await configMap('default', 'watched');
  for (const v of ['True', 'TRUE', 't', '1']) {
    const u = new URL(c.server);
    const first = await new Promise<string>((resolve, reject) => {
      const req = https.get(
        {
          host: u.hostname,
          port: u.port,
          ...c.tls(),
          path: `/api/v1/namespaces/default/configmaps?watch=${v}&fieldSelector=metadata.name%3Dwatched`,
          agent: false,
        },
        (res) => {
          res.once('data', (d: Buffer) => {
            resolve(d.toString().split('\n')[0]);
            req.destroy();
          });
        },
      );
      req.on('error', reject);
    });
    const ev = JSON.parse(first);
    assert.equal(ev.type, 'ADDED', v);
    assert.equal(ev.object.metadata.name, 'watched');
  }
  const list = await raw('GET', '/api/v1/namespaces/default/configmaps?watch=False');
  assert.equal(list.body.kind, 'ConfigMapList');
});

test('the DELETE response carries the deletion revision, the same as the watch DELETED event', async () => {
  const cm = await configMap('default', 'rv-delete');
  const u = new URL(c.server);
  const deleted = new Promise<any>((resolve, reject) => {
    const req = https.get(
      {
        host: u.hostname,
        port: u.port,
        ...c.tls(),
        path: `/api/v1/namespaces/default/configmaps?watch=1&fieldSelector=metadata.name%3Drv-delete&resourceVersion=${cm.metadata.resourceVersion}`,
        agent: false,
      },
      (res) => {
        let buf = '';
        res.on('data', (d: Buffer) => {
          buf += d.toString();
          for (const line of buf.split('\n').filter(Boolean)) {
            const ev = JSON.parse(line);
            if (ev.type === 'DELETED') {
              resolve(ev);
              req.destroy();
            }
          }
        });
      },
    );
    req.on('error', reject);
  });
  await new Promise((r) => setTimeout(r, 200));
  const del = await c.api('DELETE', '/api/v1/namespaces/default/configmaps/rv-delete');
  assert.equal(del.status, 200, del.text);
  const ev = await deleted;
  assert.notEqual(del.body.metadata.resourceVersion, cm.metadata.resourceVersion);
  assert.equal(del.body.metadata.resourceVersion, ev.object.metadata.resourceVersion);
  // kubectl sees the same revision
  const list = await c.api('GET', '/api/v1/namespaces/default/configmaps');
  assert.ok(Number(list.body.metadata.resourceVersion) >= Number(del.body.metadata.resourceVersion));
});

function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m![1]) / 1024;
}

test('300 updates of a 1 MiB ConfigMap keep the server RSS bounded (watch history bounded by bytes)', async () => {
  const big = 'x'.repeat(1024 * 1024 - 200);
  await configMap('default', 'big', { a: big });
  const put = async (i: number) => {
    const r = await c.api('PUT', '/api/v1/namespaces/default/configmaps/big', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'big' },
      data: { a: big, i: String(i) },
    });
    assert.equal(r.status, 200, r.text.slice(0, 300));
  };
  for (let i = 0; i < 40; i++) await put(i); // warm up: fill the history to its byte bound
  const base = rssMiB(c.proc!.pid!);
  for (let i = 40; i < 340; i++) await put(i);
  const grown = rssMiB(c.proc!.pid!) - base;
  console.log(`# server RSS ${base.toFixed(0)} MiB -> +${grown.toFixed(0)} MiB over 300 updates of 1 MiB`);
  // unbounded, the history alone would hold ~600 MiB (object + previous object per event)
  assert.ok(grown < 200, `server RSS grew by ${grown.toFixed(0)} MiB over 300 updates of 1 MiB`);
  // a watch from before the retained window is told it expired
  const old = await raw('GET', '/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=2');
  assert.match(old.text, /"code":410/);
});
