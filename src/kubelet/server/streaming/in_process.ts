// In-process connections to this process's KubeletServers: when the API server and the node agent share
// a process, the API server's upgrade proxy can reach the node's HTTP server through a pair of linked
// in-memory Duplex streams instead of a loopback TCP hop (chunks pass by reference, no syscalls).
import type http from 'node:http';
import type net from 'node:net';
import { Duplex } from 'node:stream';
import { IN_PROCESS_USER, type NodeUser } from '../auth.js';

/** One end of an in-memory byte pipe; writes on one end are reads on the other. */
class PairEnd extends Duplex {
  peer!: PairEnd;
  /** The writer's callback held while the peer's reader has no room. */
  private pendingCb?: () => void;
  remoteAddress = '127.0.0.1';
  remotePort = 0;
  remoteFamily = 'IPv4';
  localAddress = '127.0.0.1';
  localPort = 0;

  constructor() {
    super({ allowHalfOpen: true, readableHighWaterMark: 1024 * 1024, writableHighWaterMark: 1024 * 1024 });
  }

  // The socket methods HTTP servers and ws call on connections: nothing to tune in memory.
  setNoDelay(): this {
    return this;
  }
  setKeepAlive(): this {
    return this;
  }
  /** An in-memory connection never idles out. */
  setTimeout(): this {
    return this;
  }
  ref(): this {
    return this;
  }
  unref(): this {
    return this;
  }

  override _read(): void {
    const cb = this.peer.pendingCb;
    if (cb) {
      this.peer.pendingCb = undefined;
      cb();
    }
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    if (this.peer.destroyed || this.peer.readableEnded) return cb(new Error('write after the peer closed'));
    if (this.peer.push(chunk)) cb();
    else this.pendingCb = () => cb();
  }

  override _final(cb: (err?: Error | null) => void): void {
    if (!this.peer.destroyed) this.peer.push(null);
    cb();
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    const p = this.pendingCb;
    this.pendingCb = undefined;
    p?.();
    // The peer sees the end of its input, then closes too (like a reset socket).
    if (!this.peer.destroyed) {
      if (!this.peer.readableEnded) this.peer.push(null);
      setImmediate(() => this.peer.destroy());
    }
    cb(err);
  }
}

/** Two linked in-memory stream ends. */
export function duplexPair(): [Duplex, Duplex] {
  const a = new PairEnd();
  const b = new PairEnd();
  a.peer = b;
  b.peer = a;
  return [a, b];
}

/**
 * Hand `server` a new in-memory connection (as if accepted) and return the client's end. `user`: the caller's
 * identity, which the node's authorization reads from the connection (only code in this process can set it).
 */
export function connectInProcess(server: http.Server, user?: NodeUser): Duplex {
  const [client, serverEnd] = duplexPair();
  if (user) (serverEnd as Duplex & { [IN_PROCESS_USER]?: NodeUser })[IN_PROCESS_USER] = user;
  server.emit('connection', serverEnd);
  return client;
}

/** Listening node servers of this process → the plain HTTP server that accepts their in-process connections. */
const local = new Map<net.Server, http.Server>();

/** Make a node server of this process reachable in-process (until it closes); `accept` serves those connections. */
export function registerInProcessNode(server: net.Server, accept: http.Server = server as http.Server): void {
  local.set(server, accept);
  server.once('close', () => local.delete(server));
}

const LOOPBACK = /^(127\.|::1$|localhost$)/;

/**
 * A connection to this process's node server listening on host:port, or undefined when none does (the
 * caller then dials TCP). Matches the listening port and an equal, wildcard or loopback address.
 */
export function connectLocalNode(host: string, port: number, user?: NodeUser): Duplex | undefined {
  const h = host.replace(/^\[|\]$/g, '');
  for (const [s, accept] of local) {
    const a = s.address();
    if (!a || typeof a === 'string' || a.port !== port) continue;
    if (a.address === h || a.address === '0.0.0.0' || a.address === '::' || (LOOPBACK.test(a.address) && LOOPBACK.test(h)))
      return connectInProcess(accept, user);
  }
  return undefined;
}
