// Forwards queries outside the cluster domain to the host's resolvers (CoreDNS's `forward . /etc/resolv.conf`):
// over UDP from one socket per address family, with a fresh ID per query so answers cannot be mixed up, or
// over TCP when the client asked over TCP. In-flight forwards are bounded (beyond: REFUSED, as CoreDNS's
// max_concurrent) and time out (SERVFAIL), so a flood cannot grow memory.
import dgram from 'node:dgram';
import net from 'node:net';
import { readFileSync } from 'node:fs';
import { randomInt } from 'node:crypto';

export interface Upstream {
  host: string;
  port: number;
}

export type ForwardResult = { ok: true; reply: Buffer } | { ok: false; rcode: 'REFUSED' | 'SERVFAIL' };

export interface ForwarderOptions {
  upstreams: Upstream[];
  /** CoreDNS forward's max_concurrent default. */
  maxConcurrent?: number;
  timeoutMs?: number;
}

/** The nameservers of a resolv.conf (`ip` or `[ip]:port` is not resolv.conf syntax: plain IPs, port 53). */
export function upstreamsFromResolvConf(file: string, exclude: string[] = []): Upstream[] {
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const out: Upstream[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*nameserver\s+(\S+)/.exec(line);
    if (m && net.isIP(m[1]!) && !exclude.includes(m[1]!)) out.push({ host: m[1]!, port: 53 });
  }
  return out;
}

interface Pending {
  originalId: number;
  upstream: Upstream;
  timer: NodeJS.Timeout;
  resolve: (r: ForwardResult) => void;
}

export class Forwarder {
  private readonly maxConcurrent: number;
  private readonly timeoutMs: number;
  private inFlight = 0;
  private sockets = new Map<4 | 6, dgram.Socket>();
  private pending = new Map<number, Pending>();
  private next = 0;
  private closed = false;

  constructor(private readonly o: ForwarderOptions) {
    this.maxConcurrent = o.maxConcurrent ?? 1000;
    this.timeoutMs = o.timeoutMs ?? 2000;
  }

  get upstreams(): Upstream[] {
    return this.o.upstreams;
  }

  get inFlightCount(): number {
    return this.inFlight;
  }

  /** Forward a query (its bytes as the client sent them); the reply carries the client's ID. */
  async forward(query: Buffer, transport: 'udp' | 'tcp'): Promise<ForwardResult> {
    if (!this.o.upstreams.length || this.closed || query.length < 12) return { ok: false, rcode: 'REFUSED' };
    if (this.inFlight >= this.maxConcurrent) return { ok: false, rcode: 'REFUSED' };
    const upstream = this.o.upstreams[this.next++ % this.o.upstreams.length]!;
    this.inFlight++;
    try {
      return transport === 'tcp' ? await this.overTCP(query, upstream) : await this.overUDP(query, upstream);
    } finally {
      this.inFlight--;
    }
  }

  private socket(family: 4 | 6): dgram.Socket {
    let s = this.sockets.get(family);
    if (s) return s;
    s = dgram.createSocket(family === 4 ? 'udp4' : 'udp6');
    s.on('message', (msg, rinfo) => this.onReply(msg, rinfo));
    s.on('error', () => undefined);
    s.unref();
    this.sockets.set(family, s);
    return s;
  }

  private onReply(msg: Buffer, rinfo: dgram.RemoteInfo): void {
    if (msg.length < 12) return;
    const id = msg.readUInt16BE(0);
    const p = this.pending.get(id);
    // only the server we asked may answer (a spoofed reply from elsewhere is dropped)
    if (!p || p.upstream.host !== rinfo.address || p.upstream.port !== rinfo.port) return;
    this.pending.delete(id);
    clearTimeout(p.timer);
    const reply = Buffer.from(msg);
    reply.writeUInt16BE(p.originalId, 0);
    p.resolve({ ok: true, reply });
  }

  private freeId(): number {
    for (;;) {
      const id = randomInt(0, 65536);
      if (!this.pending.has(id)) return id;
    }
  }

  private overUDP(query: Buffer, upstream: Upstream): Promise<ForwardResult> {
    return new Promise((resolve) => {
      const id = this.freeId();
      const out = Buffer.from(query);
      out.writeUInt16BE(id, 0);
      const timer = setTimeout(() => {
        this.pending.delete(id);
        resolve({ ok: false, rcode: 'SERVFAIL' });
      }, this.timeoutMs);
      this.pending.set(id, { originalId: query.readUInt16BE(0), upstream, timer, resolve });
      this.socket(net.isIPv6(upstream.host) ? 6 : 4).send(out, upstream.port, upstream.host, (err) => {
        if (!err) return;
        clearTimeout(timer);
        this.pending.delete(id);
        resolve({ ok: false, rcode: 'SERVFAIL' });
      });
    });
  }

  private overTCP(query: Buffer, upstream: Upstream): Promise<ForwardResult> {
    return new Promise((resolve) => {
      const sock = net.connect({ host: upstream.host, port: upstream.port });
      let buf = Buffer.alloc(0);
      let done = false;
      const finish = (r: ForwardResult) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        sock.destroy();
        resolve(r);
      };
      const timer = setTimeout(() => finish({ ok: false, rcode: 'SERVFAIL' }), this.timeoutMs);
      sock.on('connect', () => {
        const len = Buffer.alloc(2);
        len.writeUInt16BE(query.length);
        sock.write(Buffer.concat([len, query]));
      });
      sock.on('data', (d: Buffer) => {
        buf = Buffer.concat([buf, d]);
        if (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) finish({ ok: true, reply: buf.subarray(2, 2 + buf.readUInt16BE(0)) });
      });
      sock.on('error', () => finish({ ok: false, rcode: 'SERVFAIL' }));
      sock.on('close', () => finish({ ok: false, rcode: 'SERVFAIL' }));
    });
  }

  close(): void {
    this.closed = true;
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.resolve({ ok: false, rcode: 'SERVFAIL' });
    }
    this.pending.clear();
    for (const s of this.sockets.values()) s.close();
    this.sockets.clear();
  }
}
