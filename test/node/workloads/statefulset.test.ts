// StatefulSets on the real node agent with real containers, through the real kubectl: OrderedReady start in
// order (each pod created only once the previous one is Ready, seen on a watch), stable hostnames, scale down
// in reverse order, partitioned RollingUpdate, rollout status/history/undo, OnDelete and Parallel.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { TestCluster } from '../../helpers/cluster.js';
import { waitFor } from '../../helpers/cluster.js';
import { apply, getPod, hostCanRunPods, isRunningReady, useAgentCluster } from '../kubelet/helpers.js';
import { KubectlWatch } from './kubectl_watch.js';

const skip = hostCanRunPods() ? false : 'needs root, runc, conmon, catatonit, CNI plugins and busybox-static';

// Name, Ready condition status and whether it is being deleted, for each watch event of a pod.
const POD_LINE =
  '{{.object.metadata.name}} ready={{range .object.status.conditions}}{{if eq .type "Ready"}}{{.status}}{{end}}{{end}} del={{if .object.metadata.deletionTimestamp}}yes{{else}}no{{end}}';

function sts(name: string, o: { replicas: number; policy?: string; strategy?: string; probe?: boolean; env?: string }): string {
  const strategy = o.strategy ?? 'type: RollingUpdate';
  return `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: ${name}}
spec:
  serviceName: ${name}-svc
  replicas: ${o.replicas}
  podManagementPolicy: ${o.policy ?? 'OrderedReady'}
  updateStrategy: {${strategy}}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: c
        image: busybox:1.35
        env: [{name: V, value: "${o.env ?? 'one'}"}]
        command: ["sh", "-c", "sleep 1; touch /tmp/ready; exec sleep 3600"]
${
  o.probe === false
    ? ''
    : `        readinessProbe:
          exec: {command: ["cat", "/tmp/ready"]}
          periodSeconds: 1
`
}`;
}

async function stsStatus(c: TestCluster, name: string): Promise<any> {
  return JSON.parse(await c.k(['get', 'sts', name, '-o', 'json'])).status ?? {};
}

async function podsOf(c: TestCluster, app: string): Promise<any[]> {
  return JSON.parse(await c.k(['get', 'pods', '-l', `app=${app}`, '-o', 'json'])).items;
}

async function waitReady(c: TestCluster, name: string, replicas: number, timeoutMs = 90_000): Promise<any> {
  return waitFor(
    async () => {
      const st = await stsStatus(c, name);
      const pods = await podsOf(c, name);
      return st.readyReplicas === replicas && pods.length === replicas && pods.every(isRunningReady) && st;
    },
    timeoutMs,
    250,
  );
}

describe('StatefulSet controller on a real node', { skip, concurrency: 1 }, () => {
  let c: TestCluster;
  const watches: KubectlWatch[] = [];
  // before the cluster's own cleanup (hooks run in order): without its sets, no pod is made again
  after(async () => {
    watches.forEach((w) => w.stop());
    if (c) await c.kubectl(['delete', 'sts', '--all', '--timeout=30s']);
  });
  useAgentCluster((x) => (c = x));

  it('starts web-0, web-1, web-2 strictly in order, each after the previous is Ready; hostnames and labels are stable', async () => {
    const w = new KubectlWatch(c, ['pods', '-l', 'app=web'], POD_LINE);
    watches.push(w);
    await new Promise((r) => setTimeout(r, 500)); // the watch is established
    await apply(c, sts('web', { replicas: 3 }));
    await waitReady(c, 'web', 3);
    for (const [prev, next] of [
      ['web-0', 'web-1'],
      ['web-1', 'web-2'],
    ]) {
      const readyAt = w.indexOf(new RegExp(`^(ADDED|MODIFIED) ${prev} ready=True`));
      const createdAt = w.indexOf(new RegExp(`^ADDED ${next} `));
      assert.ok(readyAt >= 0 && createdAt > readyAt, `${next} created only after ${prev} is Ready:\n${w.lines.join('\n')}`);
    }
    w.stop();

    assert.equal((await c.k(['exec', 'web-1', '--', 'hostname'])).trim(), 'web-1');
    const p1 = await getPod(c, 'web-1');
    assert.equal(p1.spec.hostname, 'web-1');
    assert.equal(p1.spec.subdomain, 'web-svc');
    assert.equal(p1.metadata.labels['statefulset.kubernetes.io/pod-name'], 'web-1');
    assert.equal(p1.metadata.labels['apps.kubernetes.io/pod-index'], '1');
    const st = await stsStatus(c, 'web');
    assert.equal(p1.metadata.labels['controller-revision-hash'], st.updateRevision);
    assert.equal(st.currentRevision, st.updateRevision);
    assert.deepEqual([st.replicas, st.readyReplicas, st.currentReplicas, st.updatedReplicas, st.availableReplicas], [3, 3, 3, 3, 3]);
    assert.equal(p1.metadata.ownerReferences[0].kind, 'StatefulSet');
    assert.equal(p1.metadata.ownerReferences[0].controller, true);

    assert.match(await c.k(['get', 'sts', 'web']), /^NAME\s+READY\s+AGE\nweb\s+3\/3\s+\d+s\n$/);
    assert.match(
      await c.k(['rollout', 'status', 'sts/web', '--timeout=30s']),
      /partitioned roll out complete|statefulset rolling update complete 3 pods at revision/,
    );
    const events = await c.k([
      'get',
      'events',
      '--field-selector',
      'involvedObject.kind=StatefulSet,involvedObject.name=web',
      '-o',
      'jsonpath={range .items[*]}{.reason}: {.message}{"\\n"}{end}',
    ]);
    assert.match(events, /SuccessfulCreate: create Pod web-0 in StatefulSet web successful/);
    assert.match(events, /SuccessfulCreate: create Pod web-2 in StatefulSet web successful/);
    const described = await c.k(['describe', 'sts', 'web']);
    assert.match(described, /Pods Status:\s+3 Running \/ 0 Waiting \/ 0 Succeeded \/ 0 Failed/);
  });

  it('scales down in reverse order, one pod at a time', async () => {
    const w = new KubectlWatch(c, ['pods', '-l', 'app=web'], POD_LINE);
    watches.push(w);
    await new Promise((r) => setTimeout(r, 500));
    await c.k(['patch', 'sts', 'web', '--type=merge', '-p', '{"spec":{"replicas":1}}']);
    await waitFor(async () => (await podsOf(c, 'web')).length === 1 && (await stsStatus(c, 'web')).replicas === 1, 60_000, 250);
    w.stop();
    const gone2 = w.indexOf(/^DELETED web-2 /);
    const deleting1 = w.indexOf(/^MODIFIED web-1 .*del=yes/);
    assert.ok(gone2 >= 0 && deleting1 > gone2, `web-1 deleted only after web-2 is gone:\n${w.lines.join('\n')}`);
    assert.equal(w.indexOf(/^MODIFIED web-0 .*del=yes/), -1, 'web-0 is kept');
    const events = await c.k(['get', 'events', '--field-selector', 'involvedObject.name=web,reason=SuccessfulDelete', '-o', 'jsonpath={.items[*].message}']);
    assert.match(events, /delete Pod web-2 in StatefulSet web successful/);
  });

  it('rolls from the highest ordinal down to the partition; rollout history and undo', async () => {
    await c.k(['patch', 'sts', 'web', '--type=merge', '-p', '{"spec":{"replicas":3}}']);
    const first = await waitReady(c, 'web', 3);
    const oldRev = first.updateRevision;
    await c.k(['patch', 'sts', 'web', '--type=merge', '-p', '{"spec":{"updateStrategy":{"rollingUpdate":{"partition":2}}}}']);
    await c.k(['set', 'env', 'sts/web', 'V=two']);
    const partitioned = await waitFor(
      async () => {
        const st = await stsStatus(c, 'web');
        const pods = await podsOf(c, 'web');
        return st.updateRevision !== oldRev && st.updatedReplicas === 1 && st.readyReplicas === 3 && pods.every(isRunningReady) && st;
      },
      60_000,
      250,
    );
    const rev = Object.fromEntries((await podsOf(c, 'web')).map((p) => [p.metadata.name, p.metadata.labels['controller-revision-hash']]));
    assert.deepEqual(rev, { 'web-0': oldRev, 'web-1': oldRev, 'web-2': partitioned.updateRevision });
    assert.equal(partitioned.currentRevision, oldRev);
    assert.match(await c.k(['rollout', 'status', 'sts/web', '--timeout=30s']), /partitioned roll out complete: 1 new pods have been updated/);

    // partition 0: web-1 then web-0 move to the new revision
    await c.k(['patch', 'sts', 'web', '--type=merge', '-p', '{"spec":{"updateStrategy":{"rollingUpdate":{"partition":0}}}}']);
    await c.k(['rollout', 'status', 'sts/web', '--timeout=90s']);
    const done = await waitReady(c, 'web', 3);
    assert.equal(done.currentRevision, partitioned.updateRevision);
    assert.equal(done.updatedReplicas, 3);
    for (const p of await podsOf(c, 'web')) assert.equal(p.spec.containers[0].env[0].value, 'two');

    const history = await c.k(['rollout', 'history', 'sts/web']);
    assert.match(history, /REVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+<none>/);
    const history127 = await c.k(['rollout', 'history', 'sts/web', '--revision=1'], { minor: 27 });
    assert.match(history127, /V:\s+one/);
    assert.match(await c.k(['get', 'controllerrevisions']), new RegExp(`${oldRev}\\s+statefulset.apps/web\\s+1`));

    assert.match(await c.k(['rollout', 'undo', 'sts/web']), /statefulset.apps\/web rolled back/);
    await c.k(['rollout', 'status', 'sts/web', '--timeout=90s']);
    const undone = await waitReady(c, 'web', 3);
    assert.equal(undone.updateRevision, oldRev, 'undo goes back to the first revision (renumbered)');
    for (const p of await podsOf(c, 'web')) assert.equal(p.spec.containers[0].env[0].value, 'one');
    const revs = JSON.parse(await c.k(['get', 'controllerrevisions', '-o', 'json'])).items.filter((r: any) => r.metadata.name === oldRev);
    assert.equal(revs[0].revision, 3);
  });

  it('OnDelete replaces a pod only when it is deleted', async () => {
    await apply(c, sts('od', { replicas: 2, strategy: 'type: OnDelete' }));
    const st = await waitReady(c, 'od', 2);
    await c.k(['set', 'env', 'sts/od', 'V=two']);
    await waitFor(async () => (await stsStatus(c, 'od')).updateRevision !== st.updateRevision, 20_000, 250);
    await new Promise((r) => setTimeout(r, 3000));
    for (const p of await podsOf(c, 'od')) assert.equal(p.metadata.labels['controller-revision-hash'], st.updateRevision, 'no pod replaced by itself');
    await c.k(['delete', 'pod', 'od-1', '--wait=false']);
    const after1 = await waitFor(
      async () => {
        const p = await getPod(c, 'od-1');
        return p && !p.metadata.deletionTimestamp && p.metadata.labels['controller-revision-hash'] !== st.updateRevision && isRunningReady(p) && p;
      },
      60_000,
      250,
    );
    assert.equal(after1.spec.containers[0].env[0].value, 'two');
    assert.equal((await getPod(c, 'od-0')).metadata.labels['controller-revision-hash'], st.updateRevision);
  });

  it('Parallel creates every pod at once, without waiting for readiness', async () => {
    // never ready: the probe reads a file that never appears
    await apply(c, sts('par', { replicas: 3, policy: 'Parallel' }).replace('["cat", "/tmp/ready"]', '["cat", "/tmp/never"]'));
    const pods = await waitFor(async () => {
      const ps = await podsOf(c, 'par');
      return ps.length === 3 && ps;
    }, 30_000);
    assert.deepEqual(pods.map((p) => p.metadata.name).sort(), ['par-0', 'par-1', 'par-2']);
    assert.ok(pods.every((p) => !isRunningReady(p)));
  });
});
