// The cluster DNS server: UDP and TCP (RFC 7766 framing, pipelined, bounded connections and buffers) on one
// address and port; each query is read (FORMERR/NOTIMP for what is not a plain query), answered from the
// cluster records when it is in the cluster's zones, else forwarded. Answers from the records are cached by
// the query's bytes (ID aside) until the records change, so repeated names cost a copy, not a lookup: the hot
// path is synchronous, allocates the reply only, and logs nothing per query.
import dgram from 'node:dgram';
import net from 'node:net';
import type { Answer } from 'dns-packet';
import type { Logger } from '../log/logger.js';
import { errMessage } from '../log/logger.js';
import type { ClusterRecords } from './records.js';
import { AnswerCache } from './answer_cache.js';
import { FORWARD, Resolver, type Resolution, type ZoneConfig } from './resolver.js';
import { buildResponse, parseQuery, responseLimit, HEADER_BYTES, type Query } from './message.js';
import type { Forwarder } from './forwarder.js';
import dnsPacket from 'dns-packet';

/** Meta query types no authoritative kubernetes zone serves (zone transfers, mailbox). */
const NOT_IMPLEMENTED_TYPES = new Set(['AXFR', 'IXFR', 'UNKNOWN_253', 'UNKNOWN_254']);
const MAX_CACHE_ENTRIES = 10_000;
/** Longer queries are answered but not cached (bounds the cache's keys). */
const MAX_CACHED_QUERY = 512;
const MAX_TCP_CONNECTIONS = 256;
const TCP_IDLE_MS = 10_000;
/** Queries of one TCP connection being answered at once; more wait (the socket is paused). */
const MAX_TCP_PIPELINE = 32;

export interface DNSServerOptions {
  records: ClusterRecords;
  zone: ZoneConfig;
  forwarder?: Forwarder;
  log?: Logger;
}

export class DNSServer {
  readonly resolver: Resolver;
  private udp?: dgram.Socket;
  private tcp?: net.Server;
  private connections = new Set<net.Socket>();
  private readonly cache = new AnswerCache(MAX_CACHE_ENTRIES);

  constructor(private readonly o: DNSServerOptions) {
    this.resolver = new Resolver(o.records, o.zone);
  }

  /** Listen on UDP and TCP; port 0 picks a free port that both get. Returns it. */
  async listen(host: string, port: number): Promise<number> {
    for (let attempt = 0; ; attempt++) {
      const udp = dgram.createSocket({ type: net.isIPv6(host) ? 'udp6' : 'udp4', recvBufferSize: 4 << 20 });
      try {
        await new Promise<void>((resolve, reject) => {
          udp.once('error', reject);
          udp.bind(port, host, () => resolve());
        });
        const bound = udp.address().port;
        const tcp = net.createServer((s) => this.onConnection(s));
        await new Promise<void>((resolve, reject) => {
          tcp.once('error', reject);
          tcp.listen(bound, host, () => resolve());
        });
        udp.removeAllListeners('error');
        udp.on('error', (e) => this.o.log?.warn({ err: errMessage(e) }, 'DNS UDP socket error'));
        udp.on('message', (msg, rinfo) => this.onDatagram(msg, rinfo));
        tcp.maxConnections = MAX_TCP_CONNECTIONS;
        this.udp = udp;
        this.tcp = tcp;
        return bound;
      } catch (e) {
        udp.close();
        // a free UDP port whose TCP twin is taken: try another (only when we picked it)
        if (port !== 0 || attempt >= 10) throw e;
      }
    }
  }

  async close(): Promise<void> {
    this.udp?.close();
    for (const s of this.connections) s.destroy();
    await new Promise<void>((r) => (this.tcp ? this.tcp.close(() => r()) : r()));
    this.udp = undefined;
    this.tcp = undefined;
  }

  private onDatagram(msg: Buffer, rinfo: dgram.RemoteInfo): void {
    const r = this.handle(msg, 'udp');
    if (r instanceof Promise)
      r.then(
        (reply) => {
          if (reply && this.udp) this.udp.send(reply, rinfo.port, rinfo.address);
        },
        (e) => this.o.log?.warn({ err: errMessage(e) }, 'DNS query failed'),
      );
    else if (r && this.udp) this.udp.send(r, rinfo.port, rinfo.address);
  }

  private onConnection(sock: net.Socket): void {
    this.connections.add(sock);
    sock.setTimeout(TCP_IDLE_MS, () => sock.destroy());
    sock.on('close', () => this.connections.delete(sock));
    sock.on('error', () => undefined);
    let buf: Buffer = Buffer.alloc(0);
    let inFlight = 0;
    const reply = (r: Buffer | undefined) => {
      if (r && !sock.destroyed) {
        const len = Buffer.allocUnsafe(2);
        len.writeUInt16BE(r.length);
        sock.write(Buffer.concat([len, r]));
      }
    };
    const pump = () => {
      while (inFlight < MAX_TCP_PIPELINE && buf.length >= 2) {
        const n = buf.readUInt16BE(0);
        if (buf.length < 2 + n) break;
        const msg = buf.subarray(2, 2 + n);
        buf = buf.subarray(2 + n);
        const r = this.handle(Buffer.from(msg), 'tcp');
        if (r instanceof Promise) {
          inFlight++;
          r.then(reply, () => undefined).finally(() => {
            inFlight--;
            if (sock.isPaused()) sock.resume();
            pump();
          });
        } else reply(r);
      }
      // a full pipeline or a long message in the making: stop reading until answers go out
      if (inFlight >= MAX_TCP_PIPELINE) sock.pause();
    };
    sock.on('data', (d: Buffer) => {
      buf = buf.length ? Buffer.concat([buf, d]) : d;
      pump();
    });
  }

  /** Answer one message (undefined: no answer at all, e.g. not even a header). */
  handle(msg: Buffer, transport: 'udp' | 'tcp'): Buffer | undefined | Promise<Buffer | undefined> {
    this.cache.sync(this.o.records.version);
    const cacheKey = msg.length >= HEADER_BYTES && msg.length <= MAX_CACHED_QUERY ? `${transport[0]}${msg.toString('latin1', 2)}` : '';
    const hit = cacheKey && this.cache.get(cacheKey);
    if (hit) {
      const out = Buffer.allocUnsafe(hit.length);
      hit.copy(out);
      out[0] = msg[0]!;
      out[1] = msg[1]!;
      return out;
    }
    const parsed = parseQuery(msg);
    if (!parsed.ok) return parsed.reply;
    const q = parsed.query;
    const limit = responseLimit(q, transport);
    if (q.opt && q.opt.ednsVersion > 0) return buildResponse(q, { rcode: 'BADVERS', authoritative: false }, limit);
    if (q.class !== 'IN' && q.class !== 'ANY') return buildResponse(q, { rcode: 'REFUSED', authoritative: false }, limit);
    if (NOT_IMPLEMENTED_TYPES.has(q.type)) return buildResponse(q, { rcode: 'NOTIMP', authoritative: false }, limit);
    const res = this.resolver.resolve(q.name, q.type);
    if (res === FORWARD) return this.forward(msg, q, transport, limit);
    if (res.chase) return this.chase(q, res, transport, limit);
    const out = buildResponse(q, { ...res, authoritative: true }, limit);
    if (cacheKey) this.cache.set(cacheKey, out);
    return Buffer.from(out);
  }

  private async forward(msg: Buffer, q: Query, transport: 'udp' | 'tcp', limit: number): Promise<Buffer> {
    if (!this.o.forwarder) return buildResponse(q, { rcode: 'REFUSED', authoritative: false }, limit);
    const r = await this.o.forwarder.forward(msg, transport);
    if (r.ok) return r.reply;
    return buildResponse(q, { rcode: r.rcode, authoritative: false }, limit);
  }

  /** An ExternalName's CNAME to a name outside the zone: resolve the target upstream and append its records (as CoreDNS). */
  private async chase(q: Query, res: Resolution, transport: 'udp' | 'tcp', limit: number): Promise<Buffer> {
    let answers: Answer[] = res.answers;
    let rcode = res.rcode;
    if (this.o.forwarder && (q.type === 'A' || q.type === 'AAAA')) {
      const sub = dnsPacket.encode({ type: 'query', id: 0, flags: dnsPacket.RECURSION_DESIRED, questions: [{ type: q.type, name: res.chase!, class: 'IN' }] });
      const r = await this.o.forwarder.forward(sub, transport);
      if (r.ok) {
        try {
          const up = dnsPacket.decode(r.reply);
          answers = [...answers, ...(up.answers ?? [])];
          if ((up as { rcode?: string }).rcode === 'NXDOMAIN') rcode = 'NXDOMAIN';
        } catch {
          // an unreadable upstream answer: the CNAME alone
        }
      }
    }
    return buildResponse(q, { rcode, answers, authorities: res.authorities, additionals: [], authoritative: true }, limit);
  }
}
