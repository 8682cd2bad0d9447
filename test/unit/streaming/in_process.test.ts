// In-process node connections: the in-memory duplex pair, an HTTP request and an upgrade through it,
// and connectLocalNode's choice between a registered local server and TCP.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { test } from 'node:test';
import { connectInProcess, connectLocalNode, duplexPair, registerInProcessNode } from '../../../src/kubelet/server/streaming/in_process.js';

function readAll(s: Duplex): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    s.on('data', (d: Buffer) => parts.push(d));
    s.on('end', () => resolve(Buffer.concat(parts)));
    s.on('error', reject);
  });
}

test('duplexPair carries bytes both ways with backpressure and half-close', async () => {
  const [a, b] = duplexPair();
  const big = Buffer.alloc(8 * 1024 * 1024, 7);
  const gotB = readAll(b);
  let pending = 0;
  for (let off = 0; off < big.length; off += 64 * 1024) {
    if (!a.write(big.subarray(off, off + 64 * 1024))) pending++;
  }
  a.end();
  const rb = await gotB;
  assert.equal(rb.length, big.length);
  assert.ok(rb.equals(big));
  assert.ok(pending > 0, 'writes beyond the buffer report backpressure');
  // b can still answer after a half-closed.
  const gotA = readAll(a);
  b.end('reply');
  assert.equal((await gotA).toString(), 'reply');
});

test('destroying one end closes the other', async () => {
  const [a, b] = duplexPair();
  const closed = new Promise<void>((r) => b.once('close', () => r()));
  b.resume();
  a.destroy();
  await closed;
  assert.ok(b.destroyed);
});

test('an HTTP request and an upgrade travel through connectInProcess', async () => {
  const server = http.createServer((req, res) => res.end(`hello ${req.url}`));
  server.on('upgrade', (_req, socket: Duplex, head: Buffer) => {
    socket.write('HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\n');
    if (head.length) socket.write(head);
    socket.pipe(socket);
  });
  const get = await new Promise<string>((resolve, reject) => {
    const r = http.request('http://node/x', { createConnection: () => connectInProcess(server) as never }, (res) => {
      readAll(res as unknown as Duplex).then((b) => resolve(`${res.statusCode} ${b.toString()}`), reject);
    });
    r.on('error', reject);
    r.end();
  });
  assert.equal(get, '200 hello /x');

  const echoed = await new Promise<string>((resolve, reject) => {
    const r = http.request('http://node/up', {
      headers: { Connection: 'Upgrade', Upgrade: 'echo' },
      createConnection: () => connectInProcess(server) as never,
    });
    r.on('upgrade', (res, sock: Duplex) => {
      assert.equal(res.statusCode, 101);
      let got = '';
      sock.on('data', (d: Buffer) => {
        got += d.toString();
        if (got.length >= 4) {
          sock.destroy();
          resolve(got);
        }
      });
      sock.write('ping');
    });
    r.on('error', reject);
    r.end();
  });
  assert.equal(echoed, 'ping');
});

test('connectLocalNode finds a registered server by its listening port, else undefined', async () => {
  const server = http.createServer((_req, res) => res.end('local'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  try {
    assert.equal(connectLocalNode('127.0.0.1', port), undefined, 'not registered yet');
    registerInProcessNode(server);
    assert.equal(connectLocalNode('10.0.0.9', port), undefined, 'other address');
    assert.equal(connectLocalNode('127.0.0.1', port + 1 === 65536 ? 1 : port + 1), undefined, 'other port');
    const conn = connectLocalNode('127.0.0.1', port);
    assert.ok(conn);
    conn.write('GET / HTTP/1.1\r\nHost: n\r\nConnection: close\r\n\r\n');
    const answer = (await readAll(conn)).toString();
    assert.match(answer, /^HTTP\/1\.1 200/);
    assert.match(answer, /local$/);
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
  }
  assert.equal(connectLocalNode('127.0.0.1', port), undefined, 'forgotten once closed');
});

test('pipeCorked relays every byte with backpressure, one writev per tick, and ends the destination', async () => {
  const { pipeCorked } = await import('../../../src/apiserver/proxy/pipe.js');
  const { Writable, PassThrough } = await import('node:stream');
  const src = new PassThrough();
  const batches: number[] = [];
  const got: Buffer[] = [];
  const dst = new Writable({
    highWaterMark: 16 * 1024,
    writev(chunks, cb) {
      batches.push(chunks.length);
      for (const c of chunks) got.push(c.chunk as Buffer);
      setImmediate(cb);
    },
    write(chunk: Buffer, _enc, cb) {
      batches.push(1);
      got.push(chunk);
      setImmediate(cb);
    },
  });
  const finished = new Promise<void>((r) => dst.on('finish', () => r()));
  pipeCorked(src, dst);
  const payload = Buffer.alloc(3 * 1024 * 1024, 3);
  // A frame header and its payload written in one tick leave together.
  src.write(Buffer.from('hdr'));
  src.write(payload.subarray(0, 64 * 1024));
  for (let off = 64 * 1024; off < payload.length; off += 64 * 1024) src.write(payload.subarray(off, off + 64 * 1024));
  src.end();
  await finished;
  const all = Buffer.concat(got);
  assert.equal(all.length, 3 + payload.length);
  assert.equal(all.subarray(0, 3).toString(), 'hdr');
  assert.ok(all.subarray(3).equals(payload));
  assert.ok(batches[0] >= 2, `first write carried the header and payload together (batches ${batches.slice(0, 4)})`);
});
