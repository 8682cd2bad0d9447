// Unit tests for the runtime's in-memory state: the write-through record store, the exit-dir watcher,
// the spawner helper (commands run out of process), and the PLEG's wake-up on container exit.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, renameSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { RecordStore } from '../../../src/runtime/record_store.js';
import { ExitWatcher } from '../../../src/runtime/exit_watcher.js';
import { runCommand, runCommandLocal } from '../../../src/runtime/command.js';
import { spawner } from '../../../src/runtime/spawner.js';
import { GenericPLEG } from '../../../src/kubelet/pleg.js';
import type { ContainerStatus, PodSandboxStatus } from '../../../src/runtime/types.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'k8ts-statecache-'));
after(() => {
  spawner()?.close();
  rmSync(tmp, { recursive: true, force: true });
});

interface Rec {
  id: string;
  n: number;
}

describe('RecordStore', () => {
  const dir = path.join(tmp, 'records');
  const onDisk = (id: string) => JSON.parse(readFileSync(path.join(dir, id, 'r.json'), 'utf8')) as Rec;

  it('loads existing records once, then serves and writes through', async () => {
    for (const id of ['aa', 'bb']) {
      mkdirSync(path.join(dir, id), { recursive: true });
      writeFileSync(path.join(dir, id, 'r.json'), JSON.stringify({ id, n: 1 }));
    }
    mkdirSync(path.join(dir, 'cc'), { recursive: true }); // half-created: no record yet
    const s = new RecordStore<Rec>(dir, 'r.json');
    assert.deepEqual((await s.list()).map((r) => r.id).sort(), ['aa', 'bb']);
    const a = (await s.get('aa'))!;
    a.n = 2;
    await s.save(a);
    assert.equal(onDisk('aa').n, 2);
    // a file changed behind our back is not re-read: memory is the truth for this process
    writeFileSync(path.join(dir, 'bb', 'r.json'), JSON.stringify({ id: 'bb', n: 9 }));
    assert.equal((await s.get('bb'))!.n, 1);
    // a record another RuntimeService wrote later is found on a miss
    writeFileSync(path.join(dir, 'cc', 'r.json'), JSON.stringify({ id: 'cc', n: 5 }));
    assert.equal((await s.get('cc'))!.n, 5);
    assert.equal(await s.get('dd'), undefined);
  });

  it('concurrent saves of one record end with the latest state on disk', async () => {
    const s = new RecordStore<Rec>(dir, 'r.json');
    mkdirSync(path.join(dir, 'ee'), { recursive: true });
    const r: Rec = { id: 'ee', n: 0 };
    const saves: Promise<void>[] = [];
    for (let i = 1; i <= 20; i++) {
      r.n = i;
      saves.push(s.save(r));
    }
    await Promise.all(saves);
    assert.equal(onDisk('ee').n, 20);
  });

  it('remove keeps writes off the vanishing directory and forgets the record; a failed removal keeps it', async () => {
    const s = new RecordStore<Rec>(dir, 'r.json');
    const r = (await s.get('aa'))!;
    await assert.rejects(
      s.remove('aa', async () => Promise.reject(new Error('busy'))),
      /busy/,
    );
    assert.ok(await s.get('aa'));
    const pending = s.save({ ...r, n: 3 });
    await s.remove('aa', async () => rmSync(path.join(dir, 'aa'), { recursive: true, force: true }));
    await pending;
    assert.equal(existsSync(path.join(dir, 'aa')), false, 'no write recreated the directory');
    assert.equal(
      (await s.list()).some((x) => x.id === 'aa'),
      false,
    );
  });
});

describe('ExitWatcher', () => {
  const dir = path.join(tmp, 'exits');
  const w = new ExitWatcher(dir);
  after(() => w.stop());

  it('notices an exit file written after it was seen absent', async () => {
    await w.start();
    assert.equal(await w.read('c1'), undefined);
    assert.equal(await w.read('c1'), undefined); // served from memory now
    const changed: string[] = [];
    const off = w.onChange((id) => changed.push(id));
    // conmon's way: temp file, then rename
    writeFileSync(path.join(dir, 'c1.ABC123'), '137');
    renameSync(path.join(dir, 'c1.ABC123'), path.join(dir, 'c1'));
    assert.equal(await w.waitFor('c1', 2000), true);
    assert.equal((await w.read('c1'))?.code, 137);
    assert.ok(changed.includes('c1'));
    off();
  });

  it('waitFor times out while nothing appears, and wakes on the file', async () => {
    const t = Date.now();
    assert.equal(await w.waitFor('c2', 150), false);
    assert.ok(Date.now() - t >= 140);
    setTimeout(() => writeFileSync(path.join(dir, 'c2'), '0'), 50);
    const t2 = Date.now();
    assert.equal(await w.waitFor('c2', 5000), true);
    assert.ok(Date.now() - t2 < 1000, 'woken by the watch, not a slow poll');
  });
});

describe('spawner helper', () => {
  it('runs commands out of process with input, env and exit codes like runCommandLocal', async () => {
    const args = ['-c', 'read x; echo "$x-$FOO"; echo err >&2; exit 3'];
    const opts = { input: 'hi\n', env: { FOO: 'bar', PATH: process.env.PATH ?? '/usr/bin:/bin' } };
    const remote = await runCommand('/bin/sh', args, opts);
    const local = await runCommandLocal('/bin/sh', args, opts);
    assert.deepEqual(remote, local);
    assert.equal(remote.stdout, 'hi-bar\n');
    assert.equal(remote.stderr, 'err\n');
    assert.equal(remote.code, 3);
  });

  it('times out and reports a missing binary as an error', async () => {
    const r = await runCommand('/bin/sleep', ['5'], { timeoutMs: 100 });
    assert.equal(r.timedOut, true);
    await assert.rejects(runCommand('/nonexistent/k8ts-binary', []), (e: NodeJS.ErrnoException) => e.code === 'ENOENT');
  });
});

describe('GenericPLEG', () => {
  it('relists at once when the runtime reports an exit instead of waiting for its period', async () => {
    let state: ContainerStatus['state'] = 'CONTAINER_RUNNING';
    let notify: ((id: string) => void) | undefined;
    const sb: PodSandboxStatus = {
      id: 's1',
      metadata: { name: 'p', namespace: 'd', uid: 'u1' },
      state: 'SANDBOX_READY',
      createdAt: '',
      ip: '',
      netnsPath: '',
      hostNetwork: false,
    };
    const runtime = {
      listPodSandboxes: async () => [sb],
      listContainers: async (): Promise<ContainerStatus[]> => [
        { id: 'c1', sandboxId: 's1', name: 'a', attempt: 0, image: 'i', state, createdAt: '', logPath: '', labels: { 'io.kubernetes.pod.uid': 'u1' } },
      ],
      onContainerExit: (cb: (id: string) => void) => {
        notify = cb;
        return () => (notify = undefined);
      },
    };
    const events: string[] = [];
    const pleg = new GenericPLEG(runtime, (ev) => events.push(`${ev.type}:${ev.data}`), 60_000);
    pleg.start();
    await new Promise((r) => setTimeout(r, 50));
    assert.ok(events.includes('ContainerStarted:c1'), events.join(','));
    state = 'CONTAINER_EXITED';
    const t = Date.now();
    notify!('c1');
    while (!events.includes('ContainerDied:c1') && Date.now() - t < 2000) await new Promise((r) => setTimeout(r, 5));
    assert.ok(events.includes('ContainerDied:c1'), events.join(','));
    assert.ok(Date.now() - t < 500, 'within the wake-up, far before the 60 s period');
    pleg.stop();
    assert.equal(notify, undefined, 'unsubscribed on stop');
  });
});
