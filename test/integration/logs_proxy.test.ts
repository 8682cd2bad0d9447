// kubectl logs end to end without containers: the real kubectl -> in-process API server -> nodeProxy ->
// KubeletServer serving CRI log fixture files (-c, --tail, --timestamps, --since, --limit-bytes,
// --previous, -f) plus the error answers (container choice, waiting container, unreachable node).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStorage } from '../../src/storage/index.js';
import { createApiServer, bootstrapSystemNamespaces } from '../../src/apiserver/assemble.js';
import type { ApiServer } from '../../src/apiserver/server.js';
import { KubeletServer, ContainerLogError } from '../../src/kubelet/server/index.js';
import { writeKubeconfig } from '../../src/cli/kubeconfig.js';

let api: ApiServer;
let kubelet: KubeletServer;
let server = '';
let dir = '';
let kubeconfig = '';
const running = new Map<string, boolean>([
  ['main', true],
  ['side', true],
]);
let resolverCalls = 0;

const MAIN_LOG =
  [
    '2024-05-01T10:00:00.000000000+00:00 stdout F hello from main',
    '2024-05-01T10:00:01.500000000+00:00 stdout P a long line ',
    '2024-05-01T10:00:01.600000000+00:00 stdout F split in two',
    '2024-05-01T10:00:02.000000000+00:00 stderr F warning: on stderr',
  ].join('\n') + '\n';
const MAIN_TEXT = 'hello from main\na long line split in two\nwarning: on stderr\n';

function kubectl(args: string[], timeoutMs = 30_000): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      'kubectl',
      ['--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'kcache'), ...args],
      { timeout: timeoutMs, env: { ...process.env, HOME: dir } },
      (err, stdout, stderr) => {
        const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
  });
}

async function k(args: string[]): Promise<string> {
  const r = await kubectl(args);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
  return r.stdout;
}

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; json: any; text: string }> {
  const r = await fetch(server + path, { method, headers: body ? { 'Content-Type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined });
  const text = await r.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: r.status, json, text };
}

async function mustCall(method: string, path: string, body?: unknown): Promise<any> {
  const r = await call(method, path, body);
  assert.ok(r.status < 300, `${method} ${path}: ${r.status} ${r.text}`);
  return r.json;
}

async function createNode(name: string, port: number): Promise<void> {
  const n = await mustCall('POST', '/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name } });
  n.status = {
    addresses: [
      { type: 'InternalIP', address: '127.0.0.1' },
      { type: 'Hostname', address: 'k8ts-no-such-host.invalid' },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: port } },
  };
  await mustCall('PUT', `/api/v1/nodes/${name}/status`, n);
}

const runningStatus = (name: string, restarts = 0) => ({
  name,
  ready: true,
  restartCount: restarts,
  image: 'busybox:1.35',
  imageID: 'sha256:0',
  containerID: `k8ts://${name}-1`,
  started: true,
  state: { running: { startedAt: '2024-05-01T10:00:00Z' } },
  ...(restarts ? { lastState: { terminated: { exitCode: 1, reason: 'Error', containerID: `k8ts://${name}-0` } } } : {}),
});

async function createPod(name: string, nodeName: string | undefined, containers: string[], statuses: unknown[], initContainers: string[] = []): Promise<void> {
  const p = await mustCall('POST', '/api/v1/namespaces/default/pods', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: {
      ...(nodeName ? { nodeName } : {}),
      ...(initContainers.length ? { initContainers: initContainers.map((c) => ({ name: c, image: 'busybox:1.35' })) } : {}),
      containers: containers.map((c) => ({ name: c, image: 'busybox:1.35' })),
    },
  });
  if (statuses.length) {
    p.status = { ...(p.status ?? {}), phase: 'Running', containerStatuses: statuses };
    await mustCall('PUT', `/api/v1/namespaces/default/pods/${name}/status`, p);
  }
}

async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'k8ts-logs-'));
  writeFileSync(join(dir, 'main-1.log'), MAIN_LOG);
  writeFileSync(join(dir, 'main-0.log'), '2024-05-01T09:00:00Z stdout F from the previous attempt\n');
  writeFileSync(join(dir, 'side-1.log'), '2024-05-01T10:00:00Z stdout F side says hi\n');

  kubelet = new KubeletServer(
    async (ns, pod, container, previous) => {
      resolverCalls++;
      if (ns !== 'default' || pod !== 'web') return undefined;
      if (container === 'broken') throw new ContainerLogError(500, 'runtime exploded');
      if (!running.has(container)) return undefined;
      if (previous) return container === 'main' ? { logPath: join(dir, 'main-0.log'), running: false } : undefined;
      return { logPath: join(dir, `${container}-1.log`), running: running.get(container)! };
    },
    { runningCheckMs: 100, pollMs: 50 },
  );
  const kubeletPort = await kubelet.listen('127.0.0.1', 0);

  api = createApiServer(openStorage('memory'));
  await bootstrapSystemNamespaces(api);
  const addr = await api.listen('127.0.0.1', 0);
  server = `http://127.0.0.1:${addr.port}`;
  kubeconfig = join(dir, 'kubeconfig');
  writeKubeconfig(kubeconfig, server, 'k8ts-test-token');

  await createNode('node-a', kubeletPort);
  await createNode('node-down', await closedPort());
  await createPod('web', 'node-a', ['main', 'side'], [runningStatus('main', 1), runningStatus('side')]);
  await createPod('pending', undefined, ['main'], []);
  await createPod(
    'creating',
    'node-a',
    ['main'],
    [{ name: 'main', ready: false, restartCount: 0, image: 'busybox:1.35', imageID: '', state: { waiting: { reason: 'ContainerCreating' } } }],
  );
  await createPod('lost', 'node-down', ['main'], [runningStatus('main')]);
  await createPod('orphan', 'node-a', ['main'], [runningStatus('main')]);
  await createPod('multi', 'node-a', ['a', 'b'], [], ['i']);
});

after(async () => {
  await kubelet?.close();
  await api?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('kubectl logs -c reads the container log through the API server', async () => {
  assert.equal(await k(['logs', 'web', '-c', 'main']), MAIN_TEXT);
  assert.equal(await k(['logs', 'web', '-c', 'side']), 'side says hi\n');
  assert.equal(await k(['logs', 'pod/web', '--container=main', '--limit-bytes=5']), 'hello');
});

test('kubectl logs without -c on a two-container pod defaults to the first container', async () => {
  const r = await kubectl(['logs', 'web']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, MAIN_TEXT);
  assert.match(r.stderr, /Defaulted container "main" out of: main, side/);
});

test('--tail, --timestamps and --since', async () => {
  assert.equal(await k(['logs', 'web', '-c', 'main', '--tail=1']), 'warning: on stderr\n');
  assert.equal(await k(['logs', 'web', '-c', 'main', '--tail=2']), 'split in two\nwarning: on stderr\n');
  assert.equal(
    await k(['logs', 'web', '-c', 'main', '--timestamps']),
    '2024-05-01T10:00:00Z hello from main\n2024-05-01T10:00:01.5Z a long line split in two\n2024-05-01T10:00:02Z warning: on stderr\n',
  );
  assert.equal(await k(['logs', 'web', '-c', 'main', '--since-time=2024-05-01T10:00:01Z']), 'a long line split in two\nwarning: on stderr\n');
  // --since is relative to now: only a record written just now is recent enough.
  const fresh = join(dir, 'side-1.log');
  appendFileSync(fresh, `${new Date().toISOString()} stdout F written just now\n`);
  assert.equal(await k(['logs', 'web', '-c', 'side', '--since=1m']), 'written just now\n');
  assert.equal(await k(['logs', 'web', '-c', 'side']), 'side says hi\nwritten just now\n');
});

test('--previous reads the previous attempt', async () => {
  assert.equal(await k(['logs', 'web', '-c', 'main', '--previous']), 'from the previous attempt\n');
  const r = await kubectl(['logs', 'web', '-c', 'side', '--previous']);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /previous terminated container "side" in pod "web" not found/);
});

test('kubectl logs -f streams appended lines and ends when the container stops', async () => {
  writeFileSync(join(dir, 'side-1.log'), '2024-05-01T10:00:00Z stdout F before follow\n');
  running.set('side', true);
  const child = spawn('kubectl', ['--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'kcache'), 'logs', '-f', 'web', '-c', 'side'], {
    env: { ...process.env, HOME: dir },
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
  const waitOut = async (s: string) => {
    const end = Date.now() + 15_000;
    while (!out.includes(s)) {
      if (Date.now() > end) throw new Error(`kubectl -f never printed ${JSON.stringify(s)}; got ${JSON.stringify(out)} ${err}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  try {
    await waitOut('before follow\n');
    appendFileSync(join(dir, 'side-1.log'), '2024-05-01T10:00:05Z stdout F appended one\n');
    await waitOut('appended one\n');
    appendFileSync(join(dir, 'side-1.log'), '2024-05-01T10:00:06Z stdout P appended \n');
    appendFileSync(join(dir, 'side-1.log'), '2024-05-01T10:00:06Z stdout F two\n');
    await waitOut('appended two\n');
    appendFileSync(join(dir, 'side-1.log'), '2024-05-01T10:00:07Z stdout F last words\n');
    running.set('side', false);
    const code = await Promise.race([exited, new Promise<string>((r) => setTimeout(() => r('timeout'), 10_000))]);
    assert.equal(code, 0, `kubectl -f should end when the container stops: ${err}`);
    assert.equal(out, 'before follow\nappended one\nappended two\nlast words\n');
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    running.set('side', true);
  }
});

test('client disconnect ends the node-side stream', async () => {
  const ac = new AbortController();
  const r = await fetch(`${server}/api/v1/namespaces/default/pods/web/log?container=main&follow=true`, { signal: ac.signal });
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type') ?? '', /^text\/plain/);
  const reader = r.body!.getReader();
  const first = await reader.read();
  assert.match(Buffer.from(first.value!).toString(), /hello from main/);
  ac.abort();
  // The kubelet endpoint sees its response closed: no connection stays open.
  const end = Date.now() + 5000;
  for (;;) {
    const n = await new Promise<number>((res) => kubelet.http.getConnections((_e, c) => res(c)));
    if (n === 0) break;
    assert.ok(Date.now() < end, `kubelet still has ${n} connection(s) open`);
    await new Promise((res) => setTimeout(res, 50));
  }
});

test('container choice errors use upstream wording', async () => {
  const none = await call('GET', '/api/v1/namespaces/default/pods/multi/log');
  assert.equal(none.status, 400);
  assert.equal(none.json.reason, 'BadRequest');
  assert.equal(none.json.message, 'a container name must be specified for pod multi, choose one of: [i a b]');
  const bad = await kubectl(['logs', 'web', '-c', 'nope']);
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /container nope is not valid for pod web/);
  const missing = await kubectl(['logs', 'ghost']);
  assert.match(missing.stderr, /pods "ghost" not found/);
});

test('waiting container, pod without a node, node errors', async () => {
  const w = await call('GET', '/api/v1/namespaces/default/pods/creating/log');
  assert.equal(w.status, 400);
  assert.equal(w.json.message, 'container "main" in pod "creating" is waiting to start: ContainerCreating');
  const wk = await kubectl(['logs', 'creating']);
  assert.match(wk.stderr, /container "main" in pod "creating" is waiting to start: ContainerCreating/);
  // Upstream: an unscheduled pod's log is an empty stream.
  const p = await call('GET', '/api/v1/namespaces/default/pods/pending/log');
  assert.equal(p.status, 200);
  assert.equal(p.text, '');
  // The node's own error answers become Status objects.
  const orphan = await call('GET', '/api/v1/namespaces/default/pods/orphan/log');
  assert.equal(orphan.status, 404);
  assert.equal(orphan.json.reason, 'NotFound');
  assert.equal(orphan.json.details.causes[0].message, 'container "main" not found in pod "default/orphan"');
  // Invalid options are the API server's 422.
  const inv = await call('GET', '/api/v1/namespaces/default/pods/web/log?container=side&tailLines=-1');
  assert.equal(inv.status, 422);
  assert.equal(inv.json.reason, 'Invalid');
  assert.match(inv.json.message, /^PodLogOptions "web" is invalid: tailLines: Invalid value: -1: must be greater than or equal to 0/);
});

test('an unreachable node is a prompt 503, not a hang', async () => {
  const t0 = Date.now();
  const r = await call('GET', '/api/v1/namespaces/default/pods/lost/log');
  assert.equal(r.status, 503);
  assert.equal(r.json.kind, 'Status');
  assert.match(r.json.message, /connection refused/);
  assert.ok(Date.now() - t0 < 5000);
  const kc = await kubectl(['logs', 'lost']);
  assert.notEqual(kc.code, 0);
  assert.match(kc.stderr, /connection refused/);
  // the streaming subresources fail just as promptly (the upgrade is never forwarded)
  const t1 = Date.now();
  const ex = await kubectl(['exec', 'lost', '--', 'true']);
  assert.notEqual(ex.code, 0);
  assert.match(ex.stderr, /error dialing backend|connection refused/);
  assert.ok(Date.now() - t1 < 10_000);
});

test('plain (non-upgrade) exec/attach/portforward validate, then answer 400 "Upgrade request required"', async () => {
  for (const [method, path] of [
    ['POST', '/api/v1/namespaces/default/pods/web/exec?command=true&stdout=true&container=main'],
    ['GET', '/api/v1/namespaces/default/pods/web/exec?command=true&stdout=true&container=main'],
    ['POST', '/api/v1/namespaces/default/pods/web/attach?stdout=true&container=main'],
    ['GET', '/api/v1/namespaces/default/pods/web/portforward?ports=80'],
  ] as const) {
    const r = await call(method, path);
    assert.equal(r.status, 400, `${method} ${path}`);
    assert.equal(r.json.kind, 'Status');
    assert.equal(r.json.reason, 'BadRequest');
    assert.equal(r.json.code, 400);
    assert.equal(r.json.message, 'Upgrade request required');
  }
  const c = await call('POST', '/api/v1/namespaces/default/pods/web/exec?command=true&container=zzz');
  assert.equal(c.status, 400);
  assert.equal(c.json.message, 'container zzz is not valid for pod web');
  const h = await call('POST', '/api/v1/namespaces/default/pods/pending/portforward?ports=80');
  assert.equal(h.status, 400);
  assert.equal(h.json.message, 'pod pending does not have a host assigned');
  const m = await call('PUT', '/api/v1/namespaces/default/pods/web/exec?command=true&container=main');
  assert.equal(m.status, 405);
  assert.ok(resolverCalls > 0);
});
