// The official JavaScript client, @kubernetes/client-node, with the written DATA/kubeconfig.yaml unchanged (TLS
// with the embedded CA and admin client certificate): it creates and lists pods, its Watch sees the pod it
// created, and its Exec (WebSocket, v5.channel.k8s.io) runs commands in the real container with stdout, stderr,
// stdin and the exit status.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough, Readable } from 'node:stream';
import * as k8s from '@kubernetes/client-node';
import type { TestCluster } from '../../helpers/cluster.js';
import { hostCanRunPods, isRunningReady, useAgentCluster, waitPod } from '../kubelet/helpers.js';

const skip = hostCanRunPods() ? false : 'needs root, runc, conmon, catatonit, CNI plugins and busybox-static';

/** Collects what a stream is given. */
function sink(): { stream: PassThrough; text: () => string } {
  const chunks: Buffer[] = [];
  const stream = new PassThrough();
  stream.on('data', (d: Buffer) => chunks.push(d));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

describe('@kubernetes/client-node with the written kubeconfig', { skip, concurrency: 1 }, () => {
  let c: TestCluster;
  useAgentCluster((x) => (c = x));

  it('lists pods, watches the pod it creates, and execs into it', async () => {
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(c.kubeconfig);
    assert.equal(kc.getCurrentCluster()?.server, c.server);
    const core = kc.makeApiClient(k8s.CoreV1Api);

    const before = await core.listNamespacedPod({ namespace: 'default' });
    assert.deepEqual(before.items, []);

    // a watch from the list's resourceVersion sees the pod added and then running
    const events: { type: string; name: string; phase?: string }[] = [];
    let watchDone: unknown = 'open';
    const running = new Promise<void>((resolve) => {
      void new k8s.Watch(kc)
        .watch(
          '/api/v1/namespaces/default/pods',
          { resourceVersion: before.metadata?.resourceVersion, allowWatchBookmarks: true },
          (type, obj: k8s.V1Pod) => {
            if (type === 'BOOKMARK') return;
            events.push({ type, name: obj.metadata!.name!, phase: obj.status?.phase });
            if (obj.status?.phase === 'Running') resolve();
          },
          (err) => (watchDone = err ?? 'closed'),
        )
        .then((ctl) => running.finally(() => ctl.abort()));
    });

    const created = await core.createNamespacedPod({
      namespace: 'default',
      body: {
        metadata: { name: 'js-client' },
        spec: {
          terminationGracePeriodSeconds: 1,
          containers: [{ name: 'main', image: 'busybox:1.35', command: ['sleep', '3600'] }],
        },
      },
    });
    assert.equal(created.metadata?.name, 'js-client');
    await running;
    assert.deepEqual(events[0], { type: 'ADDED', name: 'js-client', phase: 'Pending' });
    assert.ok(events.every((e) => e.name === 'js-client' && (e.type === 'ADDED' || e.type === 'MODIFIED')));
    assert.equal(watchDone, 'open', 'the watch stayed open until aborted');
    await waitPod(c, 'js-client', isRunningReady);

    const list = await core.listNamespacedPod({ namespace: 'default', labelSelector: '' });
    assert.deepEqual(
      list.items.map((p) => p.metadata?.name),
      ['js-client'],
    );
    assert.equal(list.items[0]!.status?.phase, 'Running');

    // exec: output on both streams and a failing exit code in the status
    const exec = new k8s.Exec(kc);
    const out = sink();
    const err = sink();
    const status = await new Promise<k8s.V1Status>((resolve, reject) => {
      exec
        .exec('default', 'js-client', 'main', ['sh', '-c', 'echo to-stdout; echo to-stderr >&2; exit 3'], out.stream, err.stream, null, false, resolve)
        .catch(reject);
    });
    assert.equal(out.text(), 'to-stdout\n');
    assert.equal(err.text(), 'to-stderr\n');
    assert.equal(status.status, 'Failure');
    assert.equal(status.reason, 'NonZeroExitCode');
    assert.deepEqual(status.details?.causes, [{ reason: 'ExitCode', message: '3' }]);

    // stdin piped in, success status
    const echoed = sink();
    const ok = await new Promise<k8s.V1Status>((resolve, reject) => {
      exec
        .exec('default', 'js-client', 'main', ['sh', '-c', 'tr a-z A-Z'], echoed.stream, null, Readable.from([Buffer.from('piped through\n')]), false, resolve)
        .catch(reject);
    });
    assert.equal(ok.status, 'Success');
    assert.equal(echoed.text(), 'PIPED THROUGH\n');

    await core.deleteNamespacedPod({ name: 'js-client', namespace: 'default', gracePeriodSeconds: 1 });
  });
});
