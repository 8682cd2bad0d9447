// Port-forward serving: SPDY streams (kubectl's SPDY upgrade, and the SPDY/3.1+portforward.k8s.io
// WebSocket tunnel of kubectl 1.31+) paired by requestID into error+data streams, and the plain
// WebSocket channel protocol (data channel 2i, error channel 2i+1 for the i-th ?ports= entry).
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import type { SpdyConnection, SpdyStream } from './spdy/connection.js';
import { StreamType } from './protocols.js';

export type PodDialer = (port: number) => Promise<Duplex>;

/** Pipe a forwarded stream and the pod connection both ways; `onDone` once the pod's side ended or either broke. */
function pipeBoth(stream: Duplex, pod: Duplex, onDone: () => void): void {
  let finished = false;
  const done = () => {
    if (finished) return;
    finished = true;
    onDone();
  };
  stream.pipe(pod);
  pod.pipe(stream);
  // The client half-closing is passed on (the pod may still answer); the pod ending finishes the pair
  // like upstream's runtimes do: kubectl closes its local connection only once the error stream ends too.
  pod.once('end', done);
  // The pod's connection failed (a reset right after its answer is common): hand the client what
  // arrived and end its stream cleanly rather than dropping it.
  pod.once('error', () => {
    pod.destroy();
    if (!stream.destroyed && !stream.writableEnded) stream.end();
    done();
  });
  stream.once('error', () => {
    stream.destroy();
    pod.destroy();
    done();
  });
  stream.once('close', () => {
    if (!pod.destroyed && !pod.writableEnded) pod.end();
    done();
  });
  pod.once('close', () => {
    if (!stream.destroyed && !stream.writableEnded) stream.end();
    done();
  });
}

/** Serve port-forward streams on a SPDY connection until it closes. */
export function servePortForwardSpdy(conn: SpdyConnection, dial: PodDialer, podDesc: string): void {
  const pairs = new Map<string, { error?: SpdyStream; data?: SpdyStream; started?: boolean }>();
  conn.on('stream', (s) => {
    s.reply();
    const type = s.headers['streamtype'];
    const portText = s.headers['port'] ?? '';
    const requestID = s.headers['requestid'] ?? String(type === StreamType.data ? s.id - 2 : s.id);
    if (type !== StreamType.error && type !== StreamType.data) return s.reset();
    let p = pairs.get(requestID);
    if (!p) pairs.set(requestID, (p = {}));
    if (type === StreamType.error) p.error = s;
    else p.data = s;
    s.on('error', () => {});
    if (!p.error || !p.data || p.started) return;
    p.started = true;
    const { error, data } = p;
    const done = () => {
      pairs.delete(requestID);
      if (!error.writableEnded) error.end();
    };
    const port = Number(portText);
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      error.end(`invalid port: ${JSON.stringify(portText)}`);
      data.end();
      pairs.delete(requestID);
      return;
    }
    // The client never writes to the error stream; consume its FIN.
    error.resume();
    dial(port).then(
      (sock) => pipeBoth(data, sock, done),
      (e: Error) => {
        error.end(`error forwarding port ${port} to pod ${podDesc}: ${e.message}`);
        data.end();
        pairs.delete(requestID);
      },
    );
  });
}

/**
 * The plain WebSocket port-forward protocol: ?ports=a,b → channels 0/1 for a, 2/3 for b. Each port is
 * forwarded on its own (upstream runs one PortForward per port): a failed dial or a closed pod
 * connection is written to that port's error channel and ends only that port; the WebSocket closes once
 * every port is done (or the client closes it).
 */
export function servePortForwardWS(ws: WebSocket, ports: number[], dial: PodDialer, podDesc: string): void {
  const socks = new Map<number, Duplex>();
  const finished = new Set<number>();
  const send = (ch: number, data: Buffer) => {
    if (ws.readyState !== ws.OPEN) return;
    ws.send(Buffer.concat([Buffer.from([ch]), data]), { binary: true });
  };
  ports.forEach((port, i) => {
    const pb = Buffer.alloc(2);
    pb.writeUInt16LE(port);
    send(2 * i, pb);
    send(2 * i + 1, pb);
  });
  const finish = (i: number, err?: string) => {
    if (finished.has(i)) return;
    finished.add(i);
    socks.get(i)?.destroy();
    socks.delete(i);
    pending.delete(i);
    if (err) send(2 * i + 1, Buffer.from(err));
    if (finished.size === ports.length) ws.close(1000);
  };
  const pending = new Map<number, Buffer[]>();
  const open = (i: number) => {
    pending.set(i, []);
    dial(ports[i]).then(
      (sock) => {
        if (finished.has(i) || ws.readyState !== ws.OPEN) return void sock.destroy();
        socks.set(i, sock);
        for (const b of pending.get(i) ?? []) sock.write(b);
        pending.delete(i);
        sock.on('data', (d: Buffer) => send(2 * i, d));
        sock.on('error', (e: Error) => finish(i, `error forwarding port ${ports[i]} to pod ${podDesc}: ${e.message}`));
        sock.on('end', () => finish(i));
        sock.on('close', () => finish(i));
      },
      (e: Error) => finish(i, `error forwarding port ${ports[i]} to pod ${podDesc}: ${e.message}`),
    );
  };
  ws.on('message', (raw: Buffer) => {
    if (raw.length < 1) return;
    const ch = raw[0];
    if (ch % 2 !== 0) return;
    const i = ch / 2;
    if (i >= ports.length || finished.has(i)) return;
    const data = raw.subarray(1);
    const s = socks.get(i);
    if (s) s.write(data);
    else pending.get(i)?.push(Buffer.from(data));
  });
  ports.forEach((_, i) => open(i));
  ws.on('close', () => {
    for (const s of socks.values()) s.destroy();
  });
  ws.on('error', () => {});
}
