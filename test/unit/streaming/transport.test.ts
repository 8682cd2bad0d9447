// Unit tests: the port-forward transports — the frame reader fed big DATA frames in small pieces, DATA
// frames written as header+payload, the WebSocket byte stream (fragmented messages), and the netns
// dial helper handing over a connected socket (root only: it runs under nsenter).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { createHash, randomBytes } from 'node:crypto';
import { WebSocket, WebSocketServer } from 'ws';
import { FrameReader, FrameWriter, type Frame } from '../../../src/kubelet/server/streaming/spdy/framer.js';
import { SpdyConnection } from '../../../src/kubelet/server/streaming/spdy/connection.js';
import { WebSocketByteStream } from '../../../src/kubelet/server/streaming/ws_byte_stream.js';
import { NetnsDialer } from '../../../src/kubelet/server/streaming/netns_dialer.js';

test('FrameReader joins a large DATA frame arriving in small chunks, and the frames after it', async () => {
  const w = new FrameWriter();
  const big = randomBytes(300_000);
  const wire = Buffer.concat([w.data(1, big), w.data(3, Buffer.from('tail'), true), w.ping(7)]);
  const r = new FrameReader();
  const frames: Frame[] = [];
  for (let off = 0; off < wire.length; off += 4093) frames.push(...(await r.push(wire.subarray(off, off + 4093))));
  assert.equal(frames.length, 3);
  assert.equal(frames[0].kind, 'data');
  assert.ok(frames[0].kind === 'data' && frames[0].data.equals(big));
  assert.ok(frames[1].kind === 'data' && frames[1].data.toString() === 'tail' && frames[1].flags === 1);
  assert.deepEqual(frames[2], { kind: 'ping', id: 7 });
});

test('dataHeader + payload is byte-identical to a whole DATA frame', () => {
  const w = new FrameWriter();
  const p = randomBytes(1000);
  assert.deepEqual(Buffer.concat([w.dataHeader(5, p.length, true), p]), w.data(5, p, true));
});

test('WebSocketByteStream: corked writes arrive as one message; messages read as bytes; SPDY runs over it', async () => {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((r) => wss.once('listening', r));
  const port = (wss.address() as net.AddressInfo).port;
  const serverSide = new Promise<WebSocketByteStream>((resolve) => wss.once('connection', (ws, req) => resolve(new WebSocketByteStream(ws, req.socket))));
  const client = new WebSocket(`ws://127.0.0.1:${port}`);
  const messages: Buffer[] = [];
  client.on('message', (d: Buffer) => messages.push(d));
  await new Promise((r) => client.once('open', r));
  const s = await serverSide;
  try {
    s.cork();
    s.write(Buffer.from('head'));
    s.write(Buffer.from('-payload'));
    s.uncork();
    await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(messages.map(String), ['head-payload']);
    const got: Buffer[] = [];
    s.on('data', (d: Buffer) => got.push(d));
    client.send(Buffer.from('abc'));
    client.send(Buffer.from('def'));
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(Buffer.concat(got).toString(), 'abcdef');

    // A whole SPDY DATA stream through it: the client sees frames carrying every byte in order.
    s.removeAllListeners('data');
    messages.length = 0;
    const conn = new SpdyConnection(s);
    const w = new FrameWriter();
    client.send(w.synStream(1, { streamtype: 'data' }));
    const stream = await new Promise<import('../../../src/kubelet/server/streaming/spdy/connection.js').SpdyStream>((r) => conn.once('stream', r));
    const body = randomBytes(700_000);
    await new Promise<void>((r) => stream.end(body, () => r()));
    await new Promise((r) => setTimeout(r, 100));
    const reader = new FrameReader();
    const frames = await reader.push(Buffer.concat(messages));
    const data = frames.filter((f): f is Extract<Frame, { kind: 'data' }> => f.kind === 'data' && f.streamId === 1);
    assert.equal(
      createHash('sha256')
        .update(Buffer.concat(data.map((f) => f.data)))
        .digest('hex'),
      createHash('sha256').update(body).digest('hex'),
    );
    assert.equal(data[data.length - 1].flags & 1, 1, 'the last DATA frame carries FIN');
  } finally {
    client.terminate();
    s.destroy();
    await new Promise((r) => wss.close(r));
  }
});

const root = process.getuid?.() === 0;

test(
  'NetnsDialer hands over a connected socket from inside a netns; refused ports get upstream wording',
  { skip: !root && 'needs root (nsenter)' },
  async () => {
    const srv = net.createServer((c) => c.end('hello from the server'));
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
    const port = (srv.address() as net.AddressInfo).port;
    const d = new NetnsDialer(5_000);
    try {
      // This process's own network namespace, entered through nsenter like a pod's.
      const ns = `/proc/${process.pid}/ns/net`;
      const [a, b] = await Promise.all([d.dial(ns, port), d.dial(ns, port)]);
      assert.equal(d.size, 1, 'one helper per netns');
      for (const s of [a, b]) {
        const chunks: Buffer[] = [];
        for await (const c of s) chunks.push(c as Buffer);
        assert.equal(Buffer.concat(chunks).toString(), 'hello from the server');
      }
      srv.close();
      await assert.rejects(d.dial(ns, port), /^Error: dial tcp4 127\.0\.0\.1:\d+: connect: connection refused$/);
    } finally {
      d.close();
      srv.close();
    }
    assert.equal(d.size, 0);
  },
);
