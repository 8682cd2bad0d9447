// A container's exit as the runtime reports it: read from conmon's exit file once, and never seen half
// recorded (finished without its reason) by a list that runs while the exit is being read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ContainerManager } from '../../../src/runtime/container.js';
import { RuntimeLayout } from '../../../src/runtime/layout.js';
import { Runc } from '../../../src/runtime/runc.js';
import type { ContainerStatus } from '../../../src/runtime/types.js';

test('a list during the exit read sees the reason with the finish time', async () => {
  const tmp = mkdtempSync(path.join(tmpdir(), 'k8ts-exit-'));
  try {
    const layout = new RuntimeLayout(path.join(tmp, 'data'), path.join(tmp, 'run'));
    const id = 'ab'.repeat(32);
    mkdirSync(layout.containerDir(id), { recursive: true });
    mkdirSync(layout.exitDir, { recursive: true });
    const rec = {
      id,
      sandboxId: 'sb',
      podUid: 'u',
      podName: 'p',
      podNamespace: 'default',
      name: 'c',
      attempt: 0,
      image: 'busybox',
      createdAt: new Date().toISOString(),
      startedAt: new Date().toISOString(),
      bundleDir: path.join(tmp, 'bundle'),
      rootfsDir: path.join(tmp, 'rootfs'),
      logPath: path.join(tmp, 'log'),
      cgroupsPath: path.join(tmp, 'no-cgroup'),
      stopSignal: 'SIGTERM',
    };
    writeFileSync(path.join(layout.containerDir(id), 'container.json'), JSON.stringify(rec));
    writeFileSync(path.join(layout.exitDir, id), '0');
    const m = new ContainerManager({ layout, runc: new Runc('/bin/false', path.join(tmp, 'runc')), conmonPath: '/bin/false' });
    // one list starts the exit read; another starts on every turn of the event loop until it is done
    const lists: Promise<ContainerStatus[]>[] = [];
    let done = false;
    lists.push(m.listContainers().finally(() => (done = true)));
    while (!done) {
      lists.push(m.listContainers());
      await new Promise((r) => setImmediate(r));
    }
    const seen = (await Promise.all(lists)).flat();
    const exited = seen.filter((s) => s.state === 'CONTAINER_EXITED');
    assert.ok(exited.length > 0);
    for (const s of exited) assert.deepEqual([s.exitCode, s.reason], [0, 'Completed']);
    m.exits.stop();
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
