// Smoke test against the real kubectl client: a throwaway 127.0.0.1 server serves minimal discovery and
// our Table for pods; `kubectl get pods` (plain, -o wide, --no-headers) must render it as upstream does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeObject } from '../../../src/api/types.js';
import { buildTable, printerFor, type IncludeObject } from '../../../src/apiserver/printers/index.js';

function kubectlPath(): Promise<string | undefined> {
  return new Promise((resolve) => execFile('sh', ['-c', 'command -v kubectl'], (err, out) => resolve(err ? undefined : out.trim() || undefined)));
}

/** Built per request so ages are exact relative to the moment the Table is rendered. */
const pods = (): KubeObject[] => [
  {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web-1', namespace: 'default', resourceVersion: '5', creationTimestamp: new Date(Date.now() - 3 * 60_000 - 2_000).toISOString() },
    spec: { nodeName: 'node-1', containers: [{ name: 'app', image: 'busybox' }] },
    status: {
      phase: 'Running',
      podIPs: [{ ip: '10.244.0.7' }],
      conditions: [{ type: 'Ready', status: 'True' }],
      containerStatuses: [{ name: 'app', ready: true, restartCount: 0, state: { running: {} }, lastState: {} }],
    },
  },
  {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'crashy', namespace: 'default', resourceVersion: '6', creationTimestamp: new Date(Date.now() - 2 * 3600_000).toISOString() },
    spec: { containers: [{ name: 'app', image: 'busybox' }] },
    status: {
      phase: 'Running',
      containerStatuses: [
        {
          name: 'app',
          ready: false,
          restartCount: 7,
          state: { waiting: { reason: 'CrashLoopBackOff' } },
          lastState: { terminated: { exitCode: 1, finishedAt: new Date(Date.now() - 5 * 60_000).toISOString() } },
        },
      ],
    },
  },
];

function startServer(): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const send = (body: unknown) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (url.pathname === '/api') return send({ kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] });
    if (url.pathname === '/apis') return send({ kind: 'APIGroupList', apiVersion: 'v1', groups: [] });
    if (url.pathname === '/api/v1') {
      return send({
        kind: 'APIResourceList',
        groupVersion: 'v1',
        resources: [{ name: 'pods', singularName: 'pod', namespaced: true, kind: 'Pod', verbs: ['get', 'list'], shortNames: ['po'] }],
      });
    }
    if (url.pathname === '/api/v1/namespaces/default/pods') {
      const accept = req.headers.accept ?? '';
      if (!accept.includes('as=Table')) {
        res.writeHead(406);
        return res.end();
      }
      const include = (url.searchParams.get('includeObject') as IncludeObject | null) ?? 'Metadata';
      return send(buildTable(printerFor('', 'pods'), pods(), { includeObject: include, listMeta: { resourceVersion: '9' } }));
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 404, reason: 'NotFound', message: 'not found', metadata: {} }));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as { port: number }).port })));
}

function run(bin: string, args: string[], home: string): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(bin, args, { env: { ...process.env, HOME: home, KUBECONFIG: join(home, 'none') }, timeout: 20_000 }, (err, out, errOut) =>
      err ? reject(new Error(`${err.message}\n${errOut}`)) : resolve(out),
    ),
  );
}

test('real kubectl renders our pod Table', async (t) => {
  const bin = await kubectlPath();
  if (!bin) {
    t.skip('kubectl not installed');
    return;
  }
  const home = mkdtempSync(join(tmpdir(), 'k8ts-printers-'));
  const { server, port } = await startServer();
  try {
    const base = ['--server', `http://127.0.0.1:${port}`, '--cache-dir', join(home, 'cache'), '-n', 'default', 'get', 'pods'];
    const lines = (await run(bin, base, home))
      .trimEnd()
      .split('\n')
      .map((l) => l.split(/\s{2,}/));
    assert.deepEqual(lines[0], ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
    assert.deepEqual(lines[1], ['web-1', '1/1', 'Running', '0', '3m2s']);
    assert.deepEqual(lines[2], ['crashy', '0/1', 'CrashLoopBackOff', '7 (5m ago)', '120m']);

    const wide = (await run(bin, [...base, '-o', 'wide'], home))
      .trimEnd()
      .split('\n')
      .map((l) => l.split(/\s{2,}/));
    assert.deepEqual(wide[0], ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES']);
    assert.deepEqual(wide[1], ['web-1', '1/1', 'Running', '0', '3m2s', '10.244.0.7', 'node-1', '<none>', '<none>']);

    const bare = (await run(bin, [...base, '--no-headers'], home)).trimEnd().split('\n');
    assert.equal(bare.length, 2);
    assert.ok(bare[0]!.startsWith('web-1'));
  } finally {
    await new Promise((r) => server.close(r));
    rmSync(home, { recursive: true, force: true });
  }
});
