// Leader election through a coordination.k8s.io/v1 Lease (client-go's leaderelection): acquire the lease when it
// is free or its holder has not renewed it for leaseDuration (as observed on our own clock), renew it every
// retryPeriod, give up when no renewal succeeded within renewDeadline, and release it on a clean stop.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Lease } from '../api/core/v1/types.js';
import { isStatusError } from '../api/errors.js';
import { errMessage, type Logger } from '../log/logger.js';
import { EventRecorder } from './events.js';
import type { KubeClient } from './rest.js';
import { coreV1, type ResourceClient } from './typed.js';

/** What the lock object holds (client-go's LeaderElectionRecord); times in ms since the epoch. */
export interface LeaderElectionRecord {
  holderIdentity: string;
  leaseDurationSeconds: number;
  acquireTime?: number;
  renewTime?: number;
  leaderTransitions: number;
}

/** A lock object with optimistic concurrency: update fails when `version` is no longer current. */
export interface ResourceLock {
  readonly identity: string;
  /** undefined when the lock object does not exist. */
  get(): Promise<{ record: LeaderElectionRecord; version: string } | undefined>;
  create(record: LeaderElectionRecord): Promise<void>;
  update(record: LeaderElectionRecord, version: string): Promise<void>;
  /** A Normal LeaderElection event on the lock object: "<identity> <message>". */
  recordEvent(message: string): void;
  describe(): string;
}

export interface Clock {
  now(): number;
  /** Resolves after ms, or early when the signal aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      if (signal.aborted) return resolve();
      const t = setTimeout(done, ms);
      function done() {
        clearTimeout(t);
        signal.removeEventListener('abort', done);
        resolve();
      }
      signal.addEventListener('abort', done, { once: true });
    }),
};

export interface LeaderCallbacks {
  /** Called once leadership is acquired; `signal` aborts when it is lost or the elector stops. */
  onStartedLeading(signal: AbortSignal): void | Promise<void>;
  /** Called after leadership ends (lost or released); awaited before run() returns. */
  onStoppedLeading?(): void | Promise<void>;
  onNewLeader?(identity: string): void;
}

export interface LeaderElectionConfig {
  lock: ResourceLock;
  /** How long a non-leader waits after the last observed change before taking over (default 15 s). */
  leaseDurationMs?: number;
  /** How long the leader keeps retrying a failing renewal before giving up (default 10 s). */
  renewDeadlineMs?: number;
  /** Between attempts to acquire or renew (default 2 s). */
  retryPeriodMs?: number;
  /** Hand the lease back (holder "", duration 1 s) when stopped while leading. Default true. */
  releaseOnCancel?: boolean;
  callbacks: LeaderCallbacks;
  clock?: Clock;
  log?: Logger;
  /** Random jitter factor for the acquire retry (client-go's JitterFactor 1.2); tests pass 0. */
  jitterFactor?: number;
}

export class LeaderElector {
  private readonly lock: ResourceLock;
  private readonly leaseDurationMs: number;
  private readonly renewDeadlineMs: number;
  private readonly retryPeriodMs: number;
  private readonly clock: Clock;
  private readonly stopCtl = new AbortController();
  private observed?: LeaderElectionRecord;
  private observedVersion = '';
  private observedTime = 0;
  private reportedLeader = '';

  constructor(private readonly cfg: LeaderElectionConfig) {
    this.lock = cfg.lock;
    this.leaseDurationMs = cfg.leaseDurationMs ?? 15_000;
    this.renewDeadlineMs = cfg.renewDeadlineMs ?? 10_000;
    this.retryPeriodMs = cfg.retryPeriodMs ?? 2_000;
    this.clock = cfg.clock ?? realClock;
    // client-go's NewLeaderElector checks
    if (this.leaseDurationMs <= this.renewDeadlineMs) throw new Error('leaseDuration must be greater than renewDeadline');
    if (this.renewDeadlineMs <= (cfg.jitterFactor ?? 1.2) * this.retryPeriodMs) throw new Error('renewDeadline must be greater than retryPeriod*JitterFactor');
    if (this.retryPeriodMs < 1) throw new Error('retryPeriod must be greater than zero');
  }

  get identity(): string {
    return this.lock.identity;
  }

  isLeader(): boolean {
    return this.observed?.holderIdentity === this.lock.identity;
  }

  /** The identity currently holding the lock, as last observed. */
  getLeader(): string {
    return this.observed?.holderIdentity ?? '';
  }

  /** The record last read or written (for tests and status). */
  observedRecord(): LeaderElectionRecord | undefined {
    return this.observed && { ...this.observed };
  }

  /** Stops campaigning (or leading): run() releases the lease if held and returns. */
  stop(): void {
    this.stopCtl.abort();
  }

  /** Campaigns until leader, leads until the lease is lost or stop() is called, then returns. */
  async run(): Promise<void> {
    const stop = this.stopCtl.signal;
    if (!(await this.acquire())) return;
    const leading = new AbortController();
    const onStop = () => leading.abort();
    stop.addEventListener('abort', onStop, { once: true });
    let started: Promise<void> = Promise.resolve();
    try {
      started = Promise.resolve(this.cfg.callbacks.onStartedLeading(leading.signal)).catch((e) =>
        this.cfg.log?.error({ err: errMessage(e) }, 'OnStartedLeading failed'),
      );
      await this.renew(leading.signal);
    } finally {
      stop.removeEventListener('abort', onStop);
      leading.abort();
      await started;
      if (stop.aborted && this.cfg.releaseOnCancel !== false) await this.release();
      await this.cfg.callbacks.onStoppedLeading?.();
    }
  }

  private jitter(ms: number): number {
    const f = this.cfg.jitterFactor ?? 1.2;
    return f > 0 ? ms + Math.random() * f * ms : ms;
  }

  private async acquire(): Promise<boolean> {
    const stop = this.stopCtl.signal;
    this.cfg.log?.info({ lock: this.lock.describe() }, 'attempting to acquire leader lease');
    for (;;) {
      if (stop.aborted) return false;
      const ok = await this.tryAcquireOrRenew();
      this.maybeReportTransition();
      if (ok) {
        this.lock.recordEvent('became leader');
        this.cfg.log?.info({ lock: this.lock.describe(), identity: this.identity }, 'successfully acquired lease');
        return true;
      }
      await this.clock.sleep(this.jitter(this.retryPeriodMs), stop);
    }
  }

  /** Renews every retryPeriod; returns when a renewal could not succeed within renewDeadline, or on abort. */
  private async renew(signal: AbortSignal): Promise<void> {
    for (;;) {
      if (signal.aborted) return;
      const deadline = this.clock.now() + this.renewDeadlineMs;
      let renewed = false;
      for (;;) {
        if (signal.aborted) return;
        if (await this.tryAcquireOrRenew()) {
          renewed = true;
          break;
        }
        if (this.clock.now() + this.retryPeriodMs > deadline) break;
        await this.clock.sleep(this.retryPeriodMs, signal);
      }
      this.maybeReportTransition();
      if (!renewed) {
        this.lock.recordEvent('stopped leading');
        this.cfg.log?.warn({ lock: this.lock.describe(), identity: this.identity }, 'failed to renew lease: timed out waiting for the condition');
        return;
      }
      await this.clock.sleep(this.retryPeriodMs, signal);
    }
  }

  /** One attempt: take the lock if it is ours, free, or expired; false otherwise (or on any error). */
  async tryAcquireOrRenew(): Promise<boolean> {
    const now = this.clock.now();
    const desired: LeaderElectionRecord = {
      holderIdentity: this.identity,
      leaseDurationSeconds: Math.round(this.leaseDurationMs / 1000),
      acquireTime: now,
      renewTime: now,
      leaderTransitions: 0,
    };
    let cur: { record: LeaderElectionRecord; version: string } | undefined;
    try {
      cur = await this.lock.get();
    } catch (e) {
      this.cfg.log?.warn({ err: errMessage(e) }, 'error retrieving resource lock');
      return false;
    }
    if (!cur) {
      try {
        await this.lock.create(desired);
      } catch (e) {
        this.cfg.log?.warn({ err: errMessage(e) }, 'error initially creating leader election record');
        return false;
      }
      this.setObserved(desired, now);
      return true;
    }
    if (!this.observed || !sameRecord(this.observed, cur.record) || this.observedVersion !== cur.version) {
      this.observed = cur.record;
      this.observedVersion = cur.version;
      this.observedTime = now;
    }
    const holder = cur.record.holderIdentity;
    if (holder !== '' && holder !== this.identity && this.observedTime + cur.record.leaseDurationSeconds * 1000 > now) {
      return false; // held by another and not expired
    }
    if (holder === this.identity) {
      desired.acquireTime = cur.record.acquireTime;
      desired.leaderTransitions = cur.record.leaderTransitions;
    } else {
      desired.leaderTransitions = cur.record.leaderTransitions + 1;
    }
    try {
      await this.lock.update(desired, cur.version);
    } catch (e) {
      this.cfg.log?.debug({ err: errMessage(e) }, 'failed to update lock');
      return false;
    }
    this.setObserved(desired, now);
    return true;
  }

  private setObserved(r: LeaderElectionRecord, now: number): void {
    this.observed = r;
    this.observedVersion = '';
    this.observedTime = now;
  }

  private maybeReportTransition(): void {
    const leader = this.getLeader();
    if (leader === this.reportedLeader) return;
    this.reportedLeader = leader;
    if (leader) {
      if (leader !== this.identity) this.cfg.log?.info({ identity: leader }, 'new leader elected');
      this.cfg.callbacks.onNewLeader?.(leader);
    }
  }

  /** Hands the lease back so another candidate need not wait for it to expire. */
  private async release(): Promise<void> {
    if (!this.isLeader()) return;
    const now = this.clock.now();
    const rec: LeaderElectionRecord = {
      holderIdentity: '',
      leaseDurationSeconds: 1,
      acquireTime: now,
      renewTime: now,
      leaderTransitions: this.observed!.leaderTransitions,
    };
    try {
      const cur = await this.lock.get();
      if (!cur || cur.record.holderIdentity !== this.identity) return;
      await this.lock.update(rec, cur.version);
      this.setObserved(rec, now);
      this.cfg.log?.info({ lock: this.lock.describe() }, 'released leader lease');
    } catch (e) {
      this.cfg.log?.warn({ err: errMessage(e) }, 'Failed to release lock');
    }
  }
}

function sameRecord(a: LeaderElectionRecord, b: LeaderElectionRecord): boolean {
  return (
    a.holderIdentity === b.holderIdentity &&
    a.leaseDurationSeconds === b.leaseDurationSeconds &&
    a.acquireTime === b.acquireTime &&
    a.renewTime === b.renewTime &&
    a.leaderTransitions === b.leaderTransitions
  );
}

/** metav1.MicroTime wire form: RFC 3339 with microseconds. */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** A leader-election identity as kube-controller-manager makes it: "<hostname>_<uuid>". */
export function newIdentity(): string {
  return `${hostname()}_${randomUUID()}`;
}

/** The lock on a coordination.k8s.io/v1 Lease (client-go's LeaseLock). */
export class LeaseLock implements ResourceLock {
  private readonly leases: ResourceClient<Lease>;
  private lease?: Lease;
  private readonly recorder: EventRecorder;

  constructor(
    client: KubeClient,
    readonly namespace: string,
    readonly name: string,
    readonly identity: string,
    /** Event source component, e.g. "kube-controller-manager". */
    component: string,
  ) {
    this.leases = coreV1(client).leases(namespace) as ResourceClient<Lease>;
    this.recorder = new EventRecorder(client, { component });
  }

  describe(): string {
    return `${this.namespace}/${this.name}`;
  }

  async get(): Promise<{ record: LeaderElectionRecord; version: string } | undefined> {
    try {
      this.lease = await this.leases.get(this.name);
    } catch (e) {
      if (isStatusError(e) && e.status.code === 404) return undefined;
      throw e;
    }
    const s = this.lease.spec ?? {};
    const t = (v?: string) => (v ? Date.parse(v) : undefined);
    return {
      record: {
        holderIdentity: s.holderIdentity ?? '',
        leaseDurationSeconds: s.leaseDurationSeconds ?? 0,
        acquireTime: t(s.acquireTime),
        renewTime: t(s.renewTime),
        leaderTransitions: s.leaseTransitions ?? 0,
      },
      version: this.lease.metadata.resourceVersion ?? '',
    };
  }

  private spec(r: LeaderElectionRecord): Lease['spec'] {
    return {
      holderIdentity: r.holderIdentity,
      leaseDurationSeconds: r.leaseDurationSeconds,
      ...(r.acquireTime !== undefined ? { acquireTime: microTime(r.acquireTime) } : {}),
      ...(r.renewTime !== undefined ? { renewTime: microTime(r.renewTime) } : {}),
      leaseTransitions: r.leaderTransitions,
    };
  }

  async create(r: LeaderElectionRecord): Promise<void> {
    this.lease = await this.leases.create({
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: this.name, namespace: this.namespace },
      spec: this.spec(r),
    });
  }

  async update(r: LeaderElectionRecord, version: string): Promise<void> {
    const base = this.lease ?? { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: this.name, namespace: this.namespace } };
    this.lease = await this.leases.update({ ...base, metadata: { ...base.metadata, resourceVersion: version }, spec: this.spec(r) });
  }

  recordEvent(message: string): void {
    if (!this.lease) return;
    this.recorder.event(this.lease, 'Normal', 'LeaderElection', `${this.identity} ${message}`);
  }
}
