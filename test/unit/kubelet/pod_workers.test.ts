// The pod workers' state machine with a scripted syncer: syncing → terminating → terminated, the grace
// period that may only shrink, a shorter one aborting the running termination, coalesced updates, and
// retries after a failed stage.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../../../src/api/core/v1/types.js';
import { effectiveGracePeriod, PodWorkers, type PodSyncer } from '../../../src/kubelet/pod_workers.js';

const pod = (o: { grace?: number; deleted?: number } = {}): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: 'p',
    namespace: 'default',
    uid: 'u1',
    ...(o.deleted !== undefined ? { deletionTimestamp: '2025-01-01T00:00:00Z', deletionGracePeriodSeconds: o.deleted } : {}),
  },
  spec: { containers: [], ...(o.grace !== undefined ? { terminationGracePeriodSeconds: o.grace } : {}) },
});

const until = async (what: string, fn: () => boolean) => {
  const deadline = Date.now() + 5_000;
  while (!fn()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
};

class ScriptedSyncer implements PodSyncer {
  log: string[] = [];
  /** Termination runs until aborted (or released) when set. */
  holdTermination = false;
  failTerminated = 0;
  private release?: () => void;
  async syncPod(): Promise<void> {
    this.log.push('sync');
  }
  async syncTerminatingPod(_pod: Pod, grace: number, signal: AbortSignal): Promise<void> {
    this.log.push(`terminating:${grace}`);
    if (!this.holdTermination) return;
    await new Promise<void>((resolve) => {
      this.release = resolve;
      signal.addEventListener('abort', () => resolve(), { once: true });
    });
    this.log.push(signal.aborted ? `aborted:${grace}` : `stopped:${grace}`);
  }
  async syncTerminatedPod(_pod: Pod, _signal: AbortSignal, removed: boolean) {
    if (this.failTerminated > 0) {
      this.failTerminated--;
      this.log.push('terminated:failed');
      throw new Error('volumes busy');
    }
    this.log.push(`terminated${removed ? ':removed' : ''}`);
    return { done: removed };
  }
  finish(): void {
    this.release?.();
  }
}

describe('effectiveGracePeriod', () => {
  it('takes the spec, then the API deletion grace and overrides, and only ever shrinks', () => {
    assert.equal(effectiveGracePeriod(undefined, pod()), 30);
    assert.equal(effectiveGracePeriod(undefined, pod({ grace: 45 })), 45);
    assert.equal(effectiveGracePeriod(undefined, pod({ grace: 45, deleted: 10 })), 10);
    assert.equal(effectiveGracePeriod(10, pod({ grace: 45, deleted: 20 })), 10, 'a longer deletion grace does not extend it');
    assert.equal(effectiveGracePeriod(10, pod({ deleted: 10 }), { gracePeriodSecondsOverride: 0 }), 0);
    assert.equal(effectiveGracePeriod(5, pod(), { gracePeriodSecondsOverride: 60 }), 5);
  });
});

describe('PodWorkers', () => {
  it('moves a deleted pod through terminating and terminated, and forgets it once removed', async () => {
    const s = new ScriptedSyncer();
    const w = new PodWorkers(s);
    w.updatePod({ updateType: 'create', pod: pod() });
    await until('first sync', () => s.log.includes('sync'));
    assert.equal(w.state('u1'), 'syncing');
    w.updatePod({ updateType: 'update', pod: pod({ deleted: 30 }) });
    await until('terminated', () => s.log.includes('terminated'));
    assert.deepEqual(s.log, ['sync', 'terminating:30', 'terminated']);
    assert.equal(w.state('u1'), 'terminated');
    w.updatePod({ updateType: 'kill', pod: pod({ deleted: 30 }), removed: true });
    await until('forgotten', () => w.state('u1') === undefined);
    assert.deepEqual(s.log.slice(3), ['terminated:removed']);
    w.stop();
  });

  it('aborts a running termination for a shorter grace period and runs it again with that one', async () => {
    const s = new ScriptedSyncer();
    s.holdTermination = true;
    const w = new PodWorkers(s);
    w.updatePod({ updateType: 'update', pod: pod({ deleted: 30 }) });
    await until('terminating', () => s.log.includes('terminating:30'));
    w.updatePod({ updateType: 'update', pod: pod({ deleted: 40 }) });
    await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(s.log, ['terminating:30'], 'a longer grace period changes nothing');
    w.updatePod({ updateType: 'update', pod: pod({ deleted: 5 }) });
    await until('rerun', () => s.log.includes('terminating:5'));
    assert.deepEqual(s.log, ['terminating:30', 'aborted:30', 'terminating:5']);
    s.finish();
    await until('terminated', () => s.log.includes('terminated'));
    assert.deepEqual(s.log.slice(3), ['stopped:5', 'terminated']);
    w.stop();
  });

  it('retries a failed terminated stage and does not restart a terminating pod', async () => {
    const s = new ScriptedSyncer();
    s.failTerminated = 1;
    const w = new PodWorkers(s);
    w.updatePod({ updateType: 'kill', pod: pod(), removed: true, killPodOptions: { gracePeriodSecondsOverride: 0 } });
    await until('forgotten', () => w.state('u1') === undefined);
    assert.deepEqual(s.log, ['terminating:0', 'terminated:failed', 'terminated:removed'], 'no syncPod for a pod being killed');
    w.stop();
  });
});
