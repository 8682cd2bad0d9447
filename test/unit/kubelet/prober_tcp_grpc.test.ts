// tcpSocket and grpc probe handlers against servers on 127.0.0.1, plus the hand-written health messages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import grpc from '@grpc/grpc-js';
import { runTCPProbe } from '../../../src/kubelet/prober/tcp_runner.js';
import { runGRPCProbe } from '../../../src/kubelet/prober/grpc_runner.js';
import {
  decodeHealthCheckRequest,
  decodeHealthCheckResponse,
  encodeHealthCheckRequest,
  encodeHealthCheckResponse,
  healthServiceDefinition,
  ServingStatus,
  type HealthCheckRequest,
  type HealthCheckResponse,
} from '../../../src/kubelet/prober/grpc_health.js';

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const p = (s.address() as net.AddressInfo).port;
  await new Promise((r) => s.close(r));
  return p;
}

const container = { name: 'c', ports: [{ name: 'tcp', containerPort: 0 }] };

test('tcp: an open port is Success, also when the peer closes at once', async () => {
  const s = net.createServer((sock) => sock.destroy());
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  try {
    const r = await runTCPProbe({ action: { port }, container, podIP: '127.0.0.1', timeoutSec: 1 });
    assert.deepEqual(r, { result: 'Success', output: '' });
    const named = await runTCPProbe({
      action: { port: 'svc', host: '127.0.0.1' },
      container: { name: 'c', ports: [{ name: 'svc', containerPort: port }] },
      timeoutSec: 1,
    });
    assert.equal(named.result, 'Success');
  } finally {
    await new Promise((r) => s.close(r));
  }
});

test('tcp: a closed port is a Failure with the dial error', async () => {
  const port = await freePort();
  const r = await runTCPProbe({ action: { port }, container, podIP: '127.0.0.1', timeoutSec: 1 });
  assert.equal(r.result, 'Failure');
  assert.equal(r.output, `dial tcp 127.0.0.1:${port}: connect: connection refused`);
});

test('health messages round-trip (hand-written protobuf)', () => {
  assert.equal(encodeHealthCheckRequest({ service: '' }).length, 0);
  assert.deepEqual([...encodeHealthCheckRequest({ service: 'ab' })], [0x0a, 2, 0x61, 0x62]);
  assert.deepEqual(decodeHealthCheckRequest(encodeHealthCheckRequest({ service: 'my.Svc' })), { service: 'my.Svc' });
  assert.deepEqual([...encodeHealthCheckResponse({ status: 1 })], [0x08, 1]);
  assert.deepEqual(decodeHealthCheckResponse(Buffer.from([0x08, 2])), { status: 2 });
  // unknown fields are skipped
  assert.deepEqual(decodeHealthCheckResponse(Buffer.from([0x12, 1, 0x41, 0x08, 3])), { status: 3 });
});

async function startHealthServer(statuses: Record<string, number> | undefined): Promise<{ port: number; server: grpc.Server; agents: string[] }> {
  const server = new grpc.Server();
  const agents: string[] = [];
  if (statuses) {
    server.addService(healthServiceDefinition, {
      Check: (call: grpc.ServerUnaryCall<HealthCheckRequest, HealthCheckResponse>, cb: grpc.sendUnaryData<HealthCheckResponse>) => {
        agents.push(String(call.metadata.get('user-agent')[0] ?? ''));
        const st = statuses[call.request.service];
        if (st === undefined) return cb({ code: grpc.status.NOT_FOUND, details: 'unknown service' });
        cb(null, { status: st });
      },
    });
  }
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))),
  );
  return { port, server, agents };
}

test('grpc: SERVING, NOT_SERVING and unknown service', async () => {
  const { port, server, agents } = await startHealthServer({ '': ServingStatus.SERVING, down: ServingStatus.NOT_SERVING });
  try {
    const ok = await runGRPCProbe({ action: { port }, podIP: '127.0.0.1', timeoutSec: 2 });
    assert.deepEqual(ok, { result: 'Success', output: 'service healthy' });
    assert.match(agents[0]!, /^kube-probe\/1\.33/);
    const down = await runGRPCProbe({ action: { port, service: 'down' }, podIP: '127.0.0.1', timeoutSec: 2 });
    assert.deepEqual(down, { result: 'Failure', output: 'service unhealthy (responded with "NOT_SERVING")' });
    const unknown = await runGRPCProbe({ action: { port, service: 'nosuch' }, podIP: '127.0.0.1', timeoutSec: 2 });
    assert.deepEqual(unknown, { result: 'Failure', output: 'error: health rpc probe failed: rpc error: code = NotFound desc = unknown service' });
  } finally {
    server.forceShutdown();
  }
});

test('grpc: a server without the health service', async () => {
  const { port, server } = await startHealthServer(undefined);
  try {
    const r = await runGRPCProbe({ action: { port }, podIP: '127.0.0.1', timeoutSec: 2 });
    assert.equal(r.result, 'Failure');
    assert.match(r.output, /^error: this server does not implement the grpc health protocol \(grpc\.health\.v1\.Health\)/);
  } finally {
    server.forceShutdown();
  }
});

test('grpc: nothing listening fails within the timeout', async () => {
  const port = await freePort();
  const t0 = Date.now();
  const r = await runGRPCProbe({ action: { port }, podIP: '127.0.0.1', timeoutSec: 1 });
  const took = Date.now() - t0;
  assert.equal(r.result, 'Failure');
  assert.equal(r.output, `timeout: failed to connect service "127.0.0.1:${port}" within 1s: context deadline exceeded`);
  assert.ok(took < 1600, `took ${took} ms`);
});
