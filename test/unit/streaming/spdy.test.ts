// Unit tests: SPDY/3.1 framing and header compression (interoperating with zlib's own inflate and
// deflate primed with the SPDY dictionary), and the server connection's streams over a socket pair.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import zlib from 'node:zlib';
import { SPDY3_DICTIONARY } from '../../../src/kubelet/server/streaming/spdy/dictionary.js';
import {
  adler32,
  decodeHeaderBlock,
  encodeHeaderBlock,
  FrameReader,
  FrameWriter,
  HeaderInflater,
  StoredZlibWriter,
} from '../../../src/kubelet/server/streaming/spdy/framer.js';
import { SpdyConnection } from '../../../src/kubelet/server/streaming/spdy/connection.js';

test('the SPDY/3 dictionary has its published size and checksum', () => {
  assert.equal(SPDY3_DICTIONARY.length, 1423);
  // Go's spdystream names this dictionary id in its zlib header (0xe3c6a7c2).
  assert.equal(adler32(SPDY3_DICTIONARY).toString(16), 'e3c6a7c2');
});

test('stored-block header compression inflates with zlib and the dictionary, frame after frame', async () => {
  const w = new StoredZlibWriter(SPDY3_DICTIONARY);
  const inf = zlib.createInflate({ dictionary: SPDY3_DICTIONARY });
  const out: Buffer[] = [];
  inf.on('data', (d: Buffer) => out.push(d));
  for (const h of [{ streamtype: 'error' }, { streamtype: 'data', port: '8080', requestid: '0' }] as Record<string, string>[]) {
    inf.write(w.write(encodeHeaderBlock(h)));
    await new Promise<void>((r) => inf.flush(zlib.constants.Z_SYNC_FLUSH, () => r()));
    assert.deepEqual(decodeHeaderBlock(Buffer.concat(out.splice(0))), h);
  }
});

test('HeaderInflater reads a real deflate stream with sync flushes', async () => {
  const def = zlib.createDeflate({ dictionary: SPDY3_DICTIONARY });
  const chunks: Buffer[] = [];
  def.on('data', (d: Buffer) => chunks.push(d));
  const inflater = new HeaderInflater();
  for (const h of [{ streamtype: 'stdout' }, { streamtype: 'stderr', x: 'y' }] as Record<string, string>[]) {
    def.write(encodeHeaderBlock(h));
    await new Promise<void>((r) => def.flush(zlib.constants.Z_SYNC_FLUSH, () => r()));
    assert.deepEqual(decodeHeaderBlock(await inflater.inflate(Buffer.concat(chunks.splice(0)))), h);
  }
});

test('frames round-trip through FrameWriter and FrameReader in any chunking', async () => {
  const w = new FrameWriter();
  const bytes = Buffer.concat([
    w.synStream(1, { streamtype: 'error', port: '80' }),
    w.data(1, Buffer.from('hello')),
    w.synReply(1, {}),
    w.data(1, Buffer.alloc(0), true),
    w.ping(7),
    w.rstStream(3, 5),
    w.goAway(3),
  ]);
  const r = new FrameReader();
  const frames = [];
  for (let i = 0; i < bytes.length; i += 3) frames.push(...(await r.push(bytes.subarray(i, i + 3))));
  assert.deepEqual(
    frames.map((f) => f.kind),
    ['synStream', 'data', 'synReply', 'data', 'ping', 'rstStream', 'goAway'],
  );
  assert.deepEqual((frames[0] as { headers: unknown }).headers, { streamtype: 'error', port: '80' });
  assert.equal((frames[1] as { data: Buffer }).data.toString(), 'hello');
  assert.equal((frames[3] as { flags: number }).flags & 1, 1);
});

test('SpdyConnection: accepts streams, replies, carries data both ways with FIN', async () => {
  const server = net.createServer((sock) => {
    const conn = new SpdyConnection(sock);
    conn.on('stream', (s) => {
      s.reply();
      const parts: Buffer[] = [];
      s.on('data', (d: Buffer) => parts.push(d));
      s.on('end', () => s.end(Buffer.concat([Buffer.from(`${s.headers['streamtype']}:`), ...parts])));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as net.AddressInfo).port;
  const client = net.connect(port, '127.0.0.1');
  const w = new FrameWriter();
  const r = new FrameReader();
  const got: { kind: string; data?: Buffer; flags?: number }[] = [];
  let chain = Promise.resolve();
  client.on('data', (d: Buffer) => (chain = chain.then(async () => void got.push(...(await r.push(d))))));
  client.write(w.synStream(1, { streamtype: 'data' }));
  client.write(w.data(1, Buffer.from('ping')));
  client.write(w.data(1, Buffer.alloc(0), true));
  const deadline = Date.now() + 5000;
  while (!got.some((f) => f.kind === 'data' && (f.flags ?? 0) & 1) && Date.now() < deadline) await new Promise((res) => setTimeout(res, 20));
  await chain;
  assert.equal(got[0]?.kind, 'synReply');
  const body = Buffer.concat(got.filter((f) => f.kind === 'data').map((f) => f.data!)).toString();
  assert.equal(body, 'data:ping');
  client.destroy();
  server.close();
});
