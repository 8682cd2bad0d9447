// Unit tests for src/kubelet/kuberuntime/termination_message.ts: FallbackToLogsOnError takes the log tail
// (≤ 80 lines, ≤ 2048 bytes) of failed containers without a message, and nothing else.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { formatCRILine } from '../../../src/kubelet/server/crilog.js';
import { TerminationMessages } from '../../../src/kubelet/kuberuntime/termination_message.js';
import type { RuntimeContainerStatus, RuntimePodStatus } from '../../../src/kubelet/kuberuntime/pod_status.js';

const dir = mkdtempSync(path.join(tmpdir(), 'k8ts-tmsg-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const T = '2026-11-23T04:00:00.000000001Z';

function log(name: string, lines: string[]): string {
  const p = path.join(dir, name);
  writeFileSync(p, lines.map((l, i) => formatCRILine(T, i % 2 ? 'stderr' : 'stdout', false, l)).join(''));
  return p;
}

function pod(...containers: Partial<RuntimeContainerStatus>[]): RuntimePodStatus {
  return {
    uid: 'u',
    name: 'p',
    namespace: 'default',
    ips: [],
    sandboxes: [],
    containers: containers.map((c, i) => ({
      id: `c${i}`,
      name: `c${i}`,
      sandboxId: 's',
      state: 'exited',
      createdAt: T,
      image: 'i',
      imageID: 'i',
      restartCount: 0,
      hash: 'h',
      logPath: '',
      exitCode: 1,
      terminationMessagePolicy: 'FallbackToLogsOnError',
      ...c,
    })),
  };
}

describe('TerminationMessages (FallbackToLogsOnError)', () => {
  it('uses the log tail of a failed container that wrote no message', async () => {
    const st = pod({ logPath: log('a.log', ['starting', 'boom: disk full']) });
    await new TerminationMessages().fill(st);
    assert.equal(st.containers[0]!.message, 'starting\nboom: disk full\n');
  });
  it('keeps at most the last 80 lines and 2048 bytes', async () => {
    const lines = Array.from({ length: 200 }, (_, i) => `line ${String(i).padStart(3, '0')}`);
    const st = pod({ logPath: log('b.log', lines) });
    await new TerminationMessages().fill(st);
    const msg = st.containers[0]!.message!;
    assert.ok(msg.endsWith('line 199\n'));
    assert.equal(msg.split('\n').filter(Boolean).length, 80);
    assert.ok(msg.startsWith('line 120\n'));
    const long = pod({ logPath: log('c.log', ['x'.repeat(3000), 'tail']) });
    await new TerminationMessages().fill(long);
    assert.equal(Buffer.byteLength(long.containers[0]!.message!), 2048);
    assert.ok(long.containers[0]!.message!.endsWith('x\ntail\n'));
  });
  it('leaves succeeded, running, File-policy and already-messaged containers alone', async () => {
    const p = log('d.log', ['output']);
    const st = pod(
      { logPath: p, exitCode: 0 },
      { logPath: p, state: 'running', exitCode: undefined },
      { logPath: p, terminationMessagePolicy: 'File' },
      { logPath: p, message: 'from the file' },
    );
    await new TerminationMessages().fill(st);
    assert.deepEqual(
      st.containers.map((c) => c.message),
      [undefined, undefined, undefined, 'from the file'],
    );
  });
  it('reads a container log once', async () => {
    const p = log('e.log', ['first']);
    const tm = new TerminationMessages();
    const a = pod({ logPath: p });
    await tm.fill(a);
    writeFileSync(p, formatCRILine(T, 'stdout', false, 'rewritten'));
    const b = pod({ logPath: p });
    await tm.fill(b);
    assert.equal(b.containers[0]!.message, 'first\n');
  });
});
