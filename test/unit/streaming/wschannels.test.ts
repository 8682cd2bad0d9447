// Unit tests: the WebSocket channel protocols against a fake session and fake pod ports — stdin in text
// frames as well as binary ones (exec/attach), and multi-port port-forward where one port's failed dial
// or closed connection is reported on that port's error channel while the other ports keep working.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { PassThrough, type Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import { serveRemoteCommandWS } from '../../../src/kubelet/server/streaming/ws_remote_command.js';
import { servePortForwardWS } from '../../../src/kubelet/server/streaming/portforward.js';
import { StreamProtocolV4, StreamProtocolV5 } from '../../../src/kubelet/server/streaming/protocols.js';
import type { ProcessSession } from '../../../src/kubelet/server/streaming/session.js';

async function wsPair(protocol: string): Promise<{ server: WebSocket; client: WebSocket; close(): void }> {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((r) => wss.once('listening', r));
  const port = (wss.address() as net.AddressInfo).port;
  const server = new Promise<WebSocket>((r) => wss.once('connection', (ws) => r(ws)));
  const client = new WebSocket(`ws://127.0.0.1:${port}`, [protocol]);
  await new Promise((r) => client.once('open', r));
  return {
    server: await server,
    client,
    close: () => {
      client.terminate();
      wss.close();
    },
  };
}

/** A session whose stdin is collected; it exits (0) when stdin ends. */
function fakeSession(): { session: ProcessSession; stdin: () => string } {
  const stdin = new PassThrough();
  let got = '';
  stdin.on('data', (d: Buffer) => (got += d.toString()));
  const ended = new Promise<number>((r) => stdin.on('end', () => r(0)));
  const stdout = new PassThrough();
  ended.then(() => stdout.end());
  return {
    session: { stdin, stdout, resize: () => {}, wait: () => ended, close: () => stdin.destroy() },
    stdin: () => got,
  };
}

for (const protocol of [StreamProtocolV5, StreamProtocolV4]) {
  test(`exec over WebSocket (${protocol}): stdin in text frames is delivered like binary frames`, async () => {
    const p = await wsPair(protocol);
    const f = fakeSession();
    const done = serveRemoteCommandWS(p.server, {
      protocol,
      opts: { stdin: true, stdout: true, stderr: false, tty: false, command: ['cat'] },
      start: async () => f.session,
    });
    const messages: Buffer[] = [];
    p.client.on('message', (d: Buffer) => messages.push(d));
    p.client.send('\x00text-', { binary: false });
    p.client.send(Buffer.from('\x00binary-'), { binary: true });
    p.client.send('\x00more', { binary: false });
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(f.stdin(), 'text-binary-more');
    if (protocol === StreamProtocolV5) {
      // v5's close of stdin ([255, 0]: not UTF-8, so only ever binary) ends the session.
      p.client.send(Buffer.from([255, 0]), { binary: true });
    } else {
      p.client.close(1000);
    }
    await done;
    p.close();
  });
}

/** A loopback server answering each connection with `reply:<what it read>` then closing, or staying open. */
async function echoServer(mode: 'reply-close' | 'echo'): Promise<{ port: number; close(): void }> {
  const srv = net.createServer((s) => {
    s.on('error', () => {});
    s.on('data', (d) => {
      if (mode === 'reply-close') s.end(`reply:${d.toString()}`);
      else s.write(`echo:${d.toString()}`);
    });
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  return { port: (srv.address() as net.AddressInfo).port, close: () => srv.close() };
}

function collector(ws: WebSocket): { on(ch: number): string; closed: () => boolean } {
  const per = new Map<number, Buffer[]>();
  let closed = false;
  ws.on('message', (d: Buffer) => {
    const l = per.get(d[0]) ?? [];
    l.push(d.subarray(1));
    per.set(d[0], l);
  });
  ws.on('close', () => (closed = true));
  return { on: (ch) => Buffer.concat(per.get(ch) ?? []).toString('latin1'), closed: () => closed };
}

test('port-forward over WebSocket channels: a refused port reports on its error channel; the others keep working', async () => {
  const echo = await echoServer('echo');
  const refusedPort = await new Promise<number>((r) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => r(p));
    });
  });
  const dial = (port: number) =>
    new Promise<Duplex>((resolve, reject) => {
      const s = net.connect({ host: '127.0.0.1', port });
      s.once('connect', () => resolve(s));
      s.once('error', () => reject(new Error(`dial tcp4 127.0.0.1:${port}: connect: connection refused`)));
    });
  const p = await wsPair('v4.channel.k8s.io');
  const got = collector(p.client);
  servePortForwardWS(p.server, [refusedPort, echo.port], dial, 'web_default');
  await new Promise((r) => setTimeout(r, 200));
  assert.match(got.on(1), /error forwarding port \d+ to pod web_default: dial tcp4 127\.0\.0\.1:\d+: connect: connection refused/);
  assert.equal(got.closed(), false, 'the WebSocket stays open after one port failed');
  p.client.send(Buffer.concat([Buffer.from([2]), Buffer.from('ping')]));
  await new Promise((r) => setTimeout(r, 200));
  // The first two bytes of each channel are the port number (little endian).
  assert.equal(got.on(2).slice(2), 'echo:ping');
  p.client.close(1000);
  p.close();
  echo.close();
});

test('port-forward over WebSocket channels: one port closing its connection leaves the others open', async () => {
  const closing = await echoServer('reply-close');
  const echo = await echoServer('echo');
  const dial = (port: number) =>
    new Promise<Duplex>((resolve, reject) => {
      const s = net.connect({ host: '127.0.0.1', port });
      s.once('connect', () => resolve(s));
      s.once('error', reject);
    });
  const p = await wsPair('v4.channel.k8s.io');
  const got = collector(p.client);
  servePortForwardWS(p.server, [closing.port, echo.port], dial, 'web_default');
  await new Promise((r) => setTimeout(r, 100));
  p.client.send(Buffer.concat([Buffer.from([0]), Buffer.from('a')]));
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(got.on(0).slice(2), 'reply:a');
  assert.equal(got.closed(), false, 'the WebSocket stays open after one port closed');
  p.client.send(Buffer.concat([Buffer.from([2]), Buffer.from('b')]));
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(got.on(2).slice(2), 'echo:b');
  p.client.close(1000);
  p.close();
  closing.close();
  echo.close();
});
