// Deployments on the real node agent with real containers, through kubectl: a rolling update with
// maxUnavailable 0 / maxSurge 1 while pods have a readiness probe (availability never below replicas,
// never more than replicas+1 pods wanted), rollout history / undo / pause / resume, Recreate, and a
// progress deadline exceeded on an image that cannot be pulled.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { TestCluster } from '../../helpers/cluster.js';
import { waitFor } from '../../helpers/cluster.js';
import { apply, hostCanRunPods, useAgentCluster } from '../kubelet/helpers.js';

const skip = hostCanRunPods() ? false : 'needs root, runc, conmon, catatonit, CNI plugins and busybox-static';
const DEPLOY = '/apis/apps/v1/namespaces/default/deployments';

const manifest = (name: string, o: { replicas?: number; strategy?: string; image?: string; deadline?: number } = {}) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}}
spec:
  replicas: ${o.replicas ?? 3}
  ${o.deadline ? `progressDeadlineSeconds: ${o.deadline}` : ''}
  selector: {matchLabels: {app: ${name}}}
  strategy: ${o.strategy ?? '{type: RollingUpdate, rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}'}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: main
        image: ${o.image ?? 'busybox:1.35'}
        imagePullPolicy: ${o.image ? 'Always' : 'IfNotPresent'}
        command: [sh, -c, 'sleep 3600']
        readinessProbe: {exec: {command: ['true']}, periodSeconds: 1}
`;

async function rsOf(c: TestCluster, app: string): Promise<any[]> {
  return (await c.api('GET', `/apis/apps/v1/namespaces/default/replicasets?labelSelector=app%3D${app}`)).body.items;
}

describe('deployments on a real node', { skip, concurrency: 1 }, () => {
  let c: TestCluster;
  // the owners go first, or their controllers would replace the pods the agent cleanup deletes
  after(async () => {
    if (c) await c.kubectl(['delete', 'deploy,rs', '--all', '--wait=true', '--timeout=60s']);
  });
  useAgentCluster((x) => (c = x), [], 'sqlite');

  it('rolls out, then rolls a template change with maxUnavailable 0 / maxSurge 1 and readiness probes', async () => {
    await apply(c, manifest('web'));
    assert.match(await c.k(['rollout', 'status', 'deployment/web', '--timeout=120s']), /successfully rolled out/);
    const d = (await c.api('GET', `${DEPLOY}/web`)).body;
    assert.equal(d.status.availableReplicas, 3);
    assert.equal(d.metadata.annotations['deployment.kubernetes.io/revision'], '1');
    const conds = Object.fromEntries(d.status.conditions.map((x: any) => [x.type, x.reason]));
    assert.deepEqual(conds, { Available: 'MinimumReplicasAvailable', Progressing: 'NewReplicaSetAvailable' });
    const [rs1] = await rsOf(c, 'web');
    assert.match(rs1.metadata.name, /^web-[bcdfghjklmnpqrstvwxz2456789]+$/);
    assert.equal(rs1.metadata.labels['pod-template-hash'], rs1.metadata.name.slice(4));

    // observe while the template changes
    let minAvailable = Infinity;
    let maxWanted = 0;
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        const [dep, sets] = await Promise.all([c.api('GET', `${DEPLOY}/web`), rsOf(c, 'web')]);
        minAvailable = Math.min(minAvailable, dep.body.status.availableReplicas ?? 0);
        maxWanted = Math.max(
          maxWanted,
          sets.reduce((n: number, rs: any) => n + rs.spec.replicas, 0),
        );
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    await c.k(['set', 'env', 'deployment/web', 'COLOR=blue']);
    assert.match(await c.k(['rollout', 'status', 'deployment/web', '--timeout=120s']), /successfully rolled out/);
    watching = false;
    await watcher;
    assert.equal(minAvailable, 3, 'availability never dropped below replicas');
    assert.equal(maxWanted, 4, 'never more than replicas + maxSurge');
    const sets = await rsOf(c, 'web');
    assert.equal(sets.length, 2);
    const fresh = sets.find((rs) => rs.metadata.annotations['deployment.kubernetes.io/revision'] === '2');
    assert.equal(fresh.spec.replicas, 3);
    assert.equal(sets.find((rs) => rs !== fresh).spec.replicas, 0);
    const pods = (await c.api('GET', '/api/v1/namespaces/default/pods?labelSelector=app%3Dweb')).body.items.filter((p: any) => !p.metadata.deletionTimestamp);
    assert.ok(pods.every((p: any) => p.spec.containers[0].env?.[0]?.value === 'blue'));

    const describe = await c.k(['describe', 'deployment', 'web']);
    assert.match(describe, /StrategyType:\s+RollingUpdate/);
    assert.match(describe, /RollingUpdateStrategy:\s+0 max unavailable, 1 max surge/);
    assert.match(describe, /NewReplicaSet:\s+web-\S+ \(3\/3 replicas created\)/);
    assert.match(describe, /ScalingReplicaSet\s+\S+\s+deployment-controller\s+Scaled up replica set web-\S+ from 0 to 1/);
    assert.match(describe, /Scaled down replica set web-\S+ from 3 to 2/);
    const wide = await c.k(['get', 'deploy,rs', '-o', 'wide']);
    assert.match(wide, /^deployment\.apps\/web\s+3\/3\s+3\s+3\s+\S+\s+main\s+busybox:1\.35\s+app=web$/m);
  });

  it('rollout history, undo, pause and resume', async () => {
    const history = await c.k(['rollout', 'history', 'deployment/web']);
    assert.match(history, /^1\s/m);
    assert.match(history, /^2\s/m);
    assert.match(await c.k(['rollout', 'undo', 'deployment/web']), /rolled back/);
    assert.match(await c.k(['rollout', 'status', 'deployment/web', '--timeout=120s']), /successfully rolled out/);
    const d = (await c.api('GET', `${DEPLOY}/web`)).body;
    assert.equal(d.spec.template.spec.containers[0].env, undefined);
    assert.equal(d.metadata.annotations['deployment.kubernetes.io/revision'], '3');
    const sets = await rsOf(c, 'web');
    assert.equal(sets.length, 2, 'the old ReplicaSet was reused, not a new one made');
    const back = sets.find((rs) => rs.spec.replicas === 3);
    assert.equal(back.metadata.annotations['deployment.kubernetes.io/revision'], '3');
    assert.equal(back.metadata.annotations['deployment.kubernetes.io/revision-history'], '1');

    await c.k(['rollout', 'pause', 'deployment/web']);
    await c.k(['set', 'env', 'deployment/web', 'COLOR=red']);
    const paused = await waitFor(async () => {
      const x = (await c.api('GET', `${DEPLOY}/web`)).body;
      const p = x.status.conditions.find((k: any) => k.type === 'Progressing');
      return x.status.observedGeneration === x.metadata.generation && p?.reason === 'DeploymentPaused' ? x : false;
    });
    assert.ok(paused);
    assert.equal((await rsOf(c, 'web')).length, 2, 'no rollout while paused');
    await c.k(['rollout', 'resume', 'deployment/web']);
    assert.match(await c.k(['rollout', 'status', 'deployment/web', '--timeout=120s']), /successfully rolled out/);
    assert.equal((await rsOf(c, 'web')).length, 3);
  });

  it('Recreate stops every old pod before the new ones start', async () => {
    await apply(c, manifest('rec', { replicas: 2, strategy: '{type: Recreate}' }));
    assert.match(await c.k(['rollout', 'status', 'deployment/rec', '--timeout=120s']), /successfully rolled out/);
    let overlap = false;
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        // pods that have not finished (a killed one that is Failed but not yet removed no longer runs)
        const pods = (await c.api('GET', '/api/v1/namespaces/default/pods?labelSelector=app%3Drec')).body.items.filter(
          (p: any) => p.status?.phase !== 'Failed' && p.status?.phase !== 'Succeeded',
        );
        const hashes = new Set(pods.map((p: any) => p.metadata.labels['pod-template-hash']));
        if (hashes.size > 1) overlap = true;
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    await c.k(['set', 'env', 'deployment/rec', 'X=1']);
    assert.match(await c.k(['rollout', 'status', 'deployment/rec', '--timeout=120s']), /successfully rolled out/);
    watching = false;
    await watcher;
    assert.equal(overlap, false, 'old and new pods never ran at once');
  });

  it('an image that cannot be pulled: Progressing False ProgressDeadlineExceeded, rollout status fails', async () => {
    await apply(c, manifest('stuck', { replicas: 1, image: '127.0.0.1:1/nope/never:1', deadline: 5 }));
    const d = await waitFor(async () => {
      const x = (await c.api('GET', `${DEPLOY}/stuck`)).body;
      const p = x.status?.conditions?.find((k: any) => k.type === 'Progressing');
      return p?.reason === 'ProgressDeadlineExceeded' ? x : false;
    }, 60_000);
    const p = d.status.conditions.find((k: any) => k.type === 'Progressing');
    assert.equal(p.status, 'False');
    assert.match(p.message, /^ReplicaSet "stuck-\S+" has timed out progressing\.$/);
    const r = await c.kubectl(['rollout', 'status', 'deployment/stuck', '--timeout=20s']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /exceeded its progress deadline/);
    const a = d.status.conditions.find((k: any) => k.type === 'Available');
    assert.equal(a.reason, 'MinimumReplicasUnavailable');
  });
});
