// The API server's HTTP request log: one debug line per request (verb, URI, status, latency, user agent),
// nothing at info.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';
import { logUpgradeRequest, withHTTPLogging } from '../../../src/apiserver/httplog.js';

function capture(level: string): { log: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      for (const l of String(chunk).split('\n')) if (l) lines.push(JSON.parse(l));
      cb();
    },
  });
  return { log: pino({ level }, sink), lines };
}

async function serveOnce(log: Logger, status: number, path: string): Promise<void> {
  const srv = http.createServer((req, res) => {
    withHTTPLogging(log, req, res);
    res.writeHead(status, { 'Content-Type': 'text/plain' });
    res.end('x');
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as AddressInfo).port;
  const res = await fetch(`http://127.0.0.1:${port}${path}`, { headers: { 'User-Agent': 'kubectl/v1.31.0 (linux/amd64)' } });
  await res.text();
  await new Promise((r) => setTimeout(r, 20));
  srv.closeAllConnections();
  await new Promise((r) => srv.close(r));
}

test('at debug each request is one line with verb, URI, status, durationMs, userAgent and srcIP', async () => {
  const { log, lines } = capture('debug');
  await serveOnce(log, 404, '/api/v1/namespaces/default/pods/nope?timeout=32s');
  assert.equal(lines.length, 1);
  const l = lines[0]!;
  assert.equal(l.msg, 'HTTP');
  assert.equal(l.level, 20);
  assert.equal(l.verb, 'GET');
  assert.equal(l.URI, '/api/v1/namespaces/default/pods/nope?timeout=32s');
  assert.equal(l.status, 404);
  assert.equal(typeof l.durationMs, 'number');
  assert.ok((l.durationMs as number) >= 0);
  assert.equal(l.userAgent, 'kubectl/v1.31.0 (linux/amd64)');
  assert.match(String(l.srcIP), /^127\.0\.0\.1:\d+$/);
  assert.equal(l.aborted, undefined);
});

test('at info no request is logged', async () => {
  const { log, lines } = capture('info');
  await serveOnce(log, 200, '/api');
  assert.deepEqual(lines, []);
});

test('an upgrade request is logged when it arrives, at debug only', () => {
  const req = {
    method: 'POST',
    url: '/api/v1/namespaces/default/pods/p/exec?command=sh',
    headers: { upgrade: 'websocket', 'user-agent': 'kubectl/v1.33.0' },
    socket: { remoteAddress: '127.0.0.1', remotePort: 4242 },
  } as unknown as http.IncomingMessage;
  const debug = capture('debug');
  logUpgradeRequest(debug.log, req);
  assert.equal(debug.lines.length, 1);
  assert.deepEqual(
    { ...debug.lines[0], time: undefined, pid: undefined, hostname: undefined },
    {
      level: 20,
      time: undefined,
      pid: undefined,
      hostname: undefined,
      msg: 'HTTP upgrade',
      verb: 'POST',
      URI: '/api/v1/namespaces/default/pods/p/exec?command=sh',
      upgrade: 'websocket',
      userAgent: 'kubectl/v1.33.0',
      srcIP: '127.0.0.1:4242',
    },
  );
  const info = capture('info');
  logUpgradeRequest(info.log, req);
  assert.deepEqual(info.lines, []);
});
