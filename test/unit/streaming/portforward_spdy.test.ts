// Unit tests: port-forward over SPDY with several ports on one connection — a refused port answers on
// its own error stream, a pod connection that closes ends only its pair, and the connection keeps
// serving new requests for the other ports.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import { FrameReader, FrameWriter, type Frame } from '../../../src/kubelet/server/streaming/spdy/framer.js';
import { SpdyConnection } from '../../../src/kubelet/server/streaming/spdy/connection.js';
import { servePortForwardSpdy } from '../../../src/kubelet/server/streaming/portforward.js';

async function listen(onConn: (s: net.Socket) => void): Promise<{ port: number; close(): void }> {
  const srv = net.createServer((s) => {
    s.on('error', () => {});
    onConn(s);
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  return { port: (srv.address() as net.AddressInfo).port, close: () => srv.close() };
}

test('SPDY port-forward: one refused port and one closed pod connection leave the other port and the connection working', async () => {
  // "closing" answers once and closes; "echo" keeps its connection open.
  const closing = await listen((s) => s.once('data', (d) => s.end(`bye:${d.toString()}`)));
  const echo = await listen((s) => s.on('data', (d) => s.write(`echo:${d.toString()}`)));
  const refused = await listen(() => {});
  refused.close();
  await new Promise((r) => setTimeout(r, 20));
  const dial = (port: number) =>
    new Promise<Duplex>((resolve, reject) => {
      const s = net.connect({ host: '127.0.0.1', port });
      s.once('connect', () => resolve(s));
      s.once('error', () => reject(new Error(`dial tcp4 127.0.0.1:${port}: connect: connection refused`)));
    });
  let conn: SpdyConnection | undefined;
  const server = await listen((sock) => {
    conn = new SpdyConnection(sock);
    servePortForwardSpdy(conn, dial, 'web_default');
  });
  const client = net.connect(server.port, '127.0.0.1');
  await new Promise((r) => client.once('connect', r));
  const w = new FrameWriter();
  const r = new FrameReader();
  const frames: Frame[] = [];
  let chain = Promise.resolve();
  client.on('data', (d: Buffer) => (chain = chain.then(async () => void frames.push(...(await r.push(d))))));
  const dataOf = (id: number) => Buffer.concat(frames.flatMap((f) => (f.kind === 'data' && f.streamId === id ? [f.data] : []))).toString();
  const finished = (id: number) => frames.some((f) => f.kind === 'data' && f.streamId === id && (f.flags & 1) !== 0);
  const until = async (cond: () => boolean, what: string) => {
    const end = Date.now() + 5000;
    while (!cond()) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}; frames: ${JSON.stringify(frames.map((f) => f.kind))}`);
      await new Promise((res) => setTimeout(res, 10));
    }
  };
  // A pair is an error stream (the client half-closes it at once) and a data stream with the same requestID.
  let next = 1;
  const openPair = (port: number, requestID: number) => {
    const e = next;
    const d = next + 2;
    next += 4;
    client.write(w.synStream(e, { streamtype: 'error', port: String(port), requestid: String(requestID) }, true));
    client.write(w.synStream(d, { streamtype: 'data', port: String(port), requestid: String(requestID) }));
    return { e, d };
  };
  try {
    const bad = openPair(refused.port, 0);
    const good = openPair(echo.port, 1);
    const once = openPair(closing.port, 2);
    await until(() => finished(bad.e), 'the refused port error');
    assert.match(dataOf(bad.e), /^error forwarding port \d+ to pod web_default: dial tcp4 127\.0\.0\.1:\d+: connect: connection refused$/);

    client.write(w.data(good.d, Buffer.from('one')));
    await until(() => dataOf(good.d) === 'echo:one', 'the echo');
    client.write(w.data(once.d, Buffer.from('x')));
    await until(() => finished(once.d) && finished(once.e), 'the closed pod connection ending its pair');
    assert.equal(dataOf(once.d), 'bye:x');
    assert.equal(dataOf(once.e), '', 'a pod closing its connection is no error');

    // The same connection still carries the open pair and new pairs.
    client.write(w.data(good.d, Buffer.from('two')));
    await until(() => dataOf(good.d) === 'echo:oneecho:two', 'the second echo');
    const later = openPair(echo.port, 3);
    client.write(w.data(later.d, Buffer.from('three')));
    await until(() => dataOf(later.d) === 'echo:three', 'a new pair after the failures');
    assert.equal(conn?.closed, false);
    assert.ok(!frames.some((f) => f.kind === 'goAway'), 'no GOAWAY');
  } finally {
    client.destroy();
    server.close();
    echo.close();
    closing.close();
  }
});
