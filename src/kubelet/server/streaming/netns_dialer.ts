// Dials TCP ports inside pods' network namespaces through one long-lived helper process per netns
// (netns_dial_helper.js under nsenter): the helper connects there and passes the socket back, so
// port-forward data flows pod → agent on a real TCP socket with no relay process in between.
import { spawn, type ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { DialReply, DialRequest } from './netns_dial_helper.js';

const HELPER = fileURLToPath(new URL('./netns_dial_helper.js', import.meta.url));

interface Pending {
  resolve(s: Socket): void;
  reject(e: Error): void;
  timer: NodeJS.Timeout;
  port: number;
}

/** Upstream's wording for a failed dial inside the pod. */
function dialError(port: number, code: string): Error {
  const why = code === 'ECONNREFUSED' ? 'connect: connection refused' : code === 'ETIMEDOUT' ? 'i/o timeout' : code;
  return new Error(`dial tcp4 127.0.0.1:${port}: ${why}`);
}

/** One helper inside one network namespace. */
class NetnsHelper {
  private readonly child: ChildProcess;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private idleTimer?: NodeJS.Timeout;
  dead = false;

  constructor(
    netnsPath: string,
    private readonly idleMs: number,
    private readonly onDead: () => void,
  ) {
    this.child = spawn('nsenter', [`--net=${netnsPath}`, process.execPath, HELPER], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], serialization: 'json' });
    let stderr = '';
    this.child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
    this.child.on('message', (m: DialReply, handle?: Socket) => this.onReply(m, handle));
    this.child.on('error', (e) => this.die(`cannot start the port dialer: ${e.message}`));
    this.child.on('close', () => this.die(stderr.trim().split('\n').pop() || 'the port dialer exited'));
    // Neither the helper nor its channel keeps the agent alive.
    this.child.unref();
    (this.child.channel as { unref?: () => void } | undefined)?.unref?.();
    this.armIdle();
  }

  dial(port: number, timeoutMs: number): Promise<Socket> {
    if (this.dead) return Promise.reject(new Error('the port dialer exited'));
    const id = this.nextId++;
    return new Promise<Socket>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(dialError(port, 'ETIMEDOUT'));
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer, port });
      clearTimeout(this.idleTimer);
      this.child.send({ id, port } satisfies DialRequest, (e) => {
        if (e) this.settle(id, undefined, `cannot reach the port dialer: ${e.message}`);
      });
    });
  }

  private onReply(m: DialReply, handle?: Socket): void {
    if (!this.pending.has(m.id)) {
      handle?.destroy();
      return;
    }
    if (handle && !m.error) this.settle(m.id, handle);
    else this.settle(m.id, undefined, m.error ?? 'no connection received');
  }

  private settle(id: number, s: Socket | undefined, error?: string): void {
    const p = this.pending.get(id);
    if (!p) return void s?.destroy();
    this.pending.delete(id);
    clearTimeout(p.timer);
    if (s) p.resolve(s);
    else p.reject(error && /^E[A-Z]+$/.test(error) ? dialError(p.port, error) : new Error(error ?? 'dial failed'));
    if (this.pending.size === 0) this.armIdle();
  }

  private armIdle(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.close(), this.idleMs);
    this.idleTimer.unref();
  }

  private die(why: string): void {
    if (this.dead) return;
    this.dead = true;
    clearTimeout(this.idleTimer);
    for (const [id] of this.pending) this.settle(id, undefined, why);
    this.onDead();
  }

  close(): void {
    if (this.child.connected) this.child.disconnect();
    if (this.child.exitCode === null) this.child.kill('SIGTERM');
    this.die('the port dialer was stopped');
  }
}

/** A pool of helpers keyed by netns path; each stops after `idleMs` without dials. */
export class NetnsDialer {
  private readonly helpers = new Map<string, NetnsHelper>();

  constructor(private readonly idleMs = 30_000) {}

  /** A TCP connection to 127.0.0.1:<port> inside the network namespace at `netnsPath`. */
  dial(netnsPath: string, port: number, timeoutMs = 10_000): Promise<Socket> {
    let h = this.helpers.get(netnsPath);
    if (!h || h.dead) {
      const helper: NetnsHelper = new NetnsHelper(netnsPath, this.idleMs, () => {
        if (this.helpers.get(netnsPath) === helper) this.helpers.delete(netnsPath);
      });
      h = helper;
      this.helpers.set(netnsPath, h);
    }
    return h.dial(port, timeoutMs);
  }

  /** Stop every helper. */
  close(): void {
    for (const h of [...this.helpers.values()]) h.close();
    this.helpers.clear();
  }

  get size(): number {
    return this.helpers.size;
  }
}
