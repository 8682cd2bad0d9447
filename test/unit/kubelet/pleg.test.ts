// The PLEG's relist over the in-memory FakeRuntime: one event per container/sandbox state change since the
// previous relist (started, died, removed, sandbox changed), none when nothing changed, and a relist at once
// when the runtime reports an exit.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { GenericPLEG, type PodLifecycleEvent } from '../../../src/kubelet/pleg.js';
import { LabelContainerName, LabelPodUID } from '../../../src/kubelet/kuberuntime/labels.js';
import { FakeRuntime } from '../../helpers/fake_runtime.js';

async function podWithContainer(rt: FakeRuntime, uid: string, name: string): Promise<{ sandboxId: string; id: string }> {
  const sandboxId = await rt.runPodSandbox({ metadata: { name: `pod-${uid}`, namespace: 'default', uid } });
  const id = await rt.createContainer(sandboxId, {
    metadata: { name },
    image: 'busybox',
    lowerDirs: [],
    labels: { [LabelPodUID]: uid, [LabelContainerName]: name },
  });
  return { sandboxId, id };
}

const summary = (evs: PodLifecycleEvent[]) => evs.map((e) => `${e.uid}:${e.type}:${e.data}`).sort();

describe('GenericPLEG relist', () => {
  it('reports each change since the previous relist, and nothing when nothing changed', async () => {
    const rt = new FakeRuntime();
    const events: PodLifecycleEvent[] = [];
    const pleg = new GenericPLEG(rt, (e) => events.push(e), 60_000);
    const a = await podWithContainer(rt, 'u1', 'c');
    await pleg.relist();
    assert.deepEqual(summary(events), [`u1:ContainerChanged:${a.id}`, `u1:SandboxChanged:${a.sandboxId}`], 'a new sandbox and a created container');
    events.length = 0;

    await rt.startContainer(a.id);
    await pleg.relist();
    assert.deepEqual(summary(events), [`u1:ContainerStarted:${a.id}`]);
    events.length = 0;

    await pleg.relist();
    assert.deepEqual(events, [], 'an unchanged runtime gives no events');

    rt.exit('c', 2);
    const b = await podWithContainer(rt, 'u2', 'd');
    await pleg.relist();
    assert.deepEqual(summary(events), [`u1:ContainerDied:${a.id}`, `u2:ContainerChanged:${b.id}`, `u2:SandboxChanged:${b.sandboxId}`]);
    assert.equal(pleg.podStatuses().get('u1')?.containers[0]?.exitCode, 2, "the relist keeps each pod's runtime status");
    events.length = 0;

    await rt.removeContainer(a.id);
    await rt.stopPodSandbox(b.sandboxId);
    await pleg.relist();
    assert.deepEqual(summary(events), [`u1:ContainerRemoved:${a.id}`, `u2:ContainerDied:${b.id}`, `u2:SandboxChanged:${b.sandboxId}`]);
  });

  it('relists at once when the runtime reports a container exit', async () => {
    const rt = new FakeRuntime();
    const events: PodLifecycleEvent[] = [];
    const pleg = new GenericPLEG(rt, (e) => events.push(e), 60_000);
    const a = await podWithContainer(rt, 'u1', 'c');
    await rt.startContainer(a.id);
    pleg.start();
    try {
      const deadline = Date.now() + 5_000;
      while (!events.some((e) => e.type === 'ContainerStarted') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
      rt.exit('c', 0);
      while (!events.some((e) => e.type === 'ContainerDied') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
      assert.ok(
        events.some((e) => e.type === 'ContainerDied' && e.data === a.id),
        'the exit was seen long before the 60 s period',
      );
    } finally {
      pleg.stop();
    }
  });
});
