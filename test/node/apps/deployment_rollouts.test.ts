// Deployment rollouts on the real node agent, through kubectl: a `k8ts controller-manager` process killed with
// SIGKILL mid-rollout and started again finishes the rollout without ever more pods than replicas + maxSurge
// (seen on a kubectl watch); `kubectl edit` (KUBE_EDITOR a script) makes a new ReplicaSet; `rollout restart`;
// and set image / rollout status|history|pause|resume|undo with kubectl 1.27.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestCluster } from '../../helpers/cluster.js';
import { K8TS_BIN, kubectlBinary, waitFor } from '../../helpers/cluster.js';
import { apply, hostCanRunPods, useAgentCluster } from '../kubelet/helpers.js';
import { KubectlWatch } from '../workloads/kubectl_watch.js';

const skip = hostCanRunPods() ? false : 'needs root, runc, conmon, catatonit, CNI plugins and busybox-static';
const DEPLOY = '/apis/apps/v1/namespaces/default/deployments';

const manifest = (name: string, replicas: number, readyDelay = 0) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: ${name}}}
  strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: main
        image: busybox:1.35
        command: [sh, -c, 'sleep 3600']
        readinessProbe: {exec: {command: ['true']}, periodSeconds: 1, initialDelaySeconds: ${readyDelay}}
`;

async function rsOf(c: TestCluster, app: string): Promise<any[]> {
  return (await c.api('GET', `/apis/apps/v1/namespaces/default/replicasets?labelSelector=app%3D${app}`)).body.items;
}

async function livePods(c: TestCluster, app: string): Promise<any[]> {
  return ((await c.api('GET', `/api/v1/namespaces/default/pods?labelSelector=app%3D${app}`)).body.items as any[]).filter((p) => !p.metadata.deletionTimestamp);
}

/** The largest number of pods alive at once (created, not yet marked for deletion) along a watch's events. */
function maxAlive(lines: string[]): number {
  const alive = new Set<string>();
  let max = 0;
  for (const l of lines) {
    const [type, name, deleting] = l.split(' ');
    if (type === 'DELETED' || (deleting && deleting !== '<no' && deleting !== '')) alive.delete(name!);
    else alive.add(name!);
    max = Math.max(max, alive.size);
  }
  return max;
}

function startControllerManager(c: TestCluster): { proc: ChildProcess; output: () => string } {
  let out = '';
  const proc = spawn(
    process.execPath,
    [
      K8TS_BIN,
      'controller-manager',
      '--kubeconfig',
      join(c.dataDir, 'controller-manager.kubeconfig'),
      '--leader-elect=false',
      '--cluster-cidr',
      c.clusterCIDR,
      '--node-cidr-mask-size',
      '24',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  return { proc, output: () => out };
}

async function kill(p: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (p.exitCode !== null || p.signalCode !== null) return;
  const exited = new Promise((r) => p.once('exit', r));
  p.kill(signal);
  await exited;
}

describe('a controller manager killed mid-rollout', { skip, concurrency: 1 }, () => {
  let c: TestCluster;
  let cm: { proc: ChildProcess; output: () => string } | undefined;
  after(async () => {
    if (c) await c.kubectl(['delete', 'deploy,rs', '--all', '--wait=true', '--timeout=60s']);
    if (cm) await kill(cm.proc, 'SIGTERM');
  });
  useAgentCluster((x) => (c = x), ['--disable-controller-manager'], 'sqlite');

  it('resumes the rollout after SIGKILL and a restart, never above replicas + maxSurge', async () => {
    cm = startControllerManager(c);
    await apply(c, manifest('crash', 4, 2));
    const first = await c.kubectl(['rollout', 'status', 'deployment/crash', '--timeout=180s']);
    assert.equal(first.code, 0, `${first.stderr}\n${cm.output()}`);
    const watch = new KubectlWatch(c, ['pods', '-l', 'app=crash'], '{{.metadata.name}} {{.metadata.deletionTimestamp}}');
    try {
      await waitFor(async () => watch.lines.length >= 4 || undefined, 20_000);
      await c.k(['set', 'image', 'deployment/crash', 'main=busybox:latest']);
      // mid-rollout: the new ReplicaSet has started some pods, not all
      await waitFor(
        async () => {
          const sets = await rsOf(c, 'crash');
          const fresh = sets.find((rs) => rs.spec.template.spec.containers[0].image === 'busybox:latest');
          return fresh && (fresh.status?.replicas ?? 0) >= 1 && (fresh.status?.availableReplicas ?? 0) < 4 ? true : undefined;
        },
        60_000,
        50,
      );
      await kill(cm.proc, 'SIGKILL');
      const frozen = (await livePods(c, 'crash')).length;
      assert.ok(frozen <= 5, `at most replicas + maxSurge pods when it died (${frozen})`);
      await new Promise((r) => setTimeout(r, 3000));
      cm = startControllerManager(c);
      const done = await c.kubectl(['rollout', 'status', 'deployment/crash', '--timeout=180s']);
      assert.equal(done.code, 0, `${done.stderr}\n${cm.output()}`);
      assert.match(done.stdout, /deployment "crash" successfully rolled out/);
    } finally {
      watch.stop();
    }
    assert.ok(maxAlive(watch.lines) <= 5, `never more than 5 pods alive at once:\n${watch.lines.join('\n')}`);
    const sets = await rsOf(c, 'crash');
    assert.equal(sets.length, 2, 'one new ReplicaSet, not a second one after the restart');
    const fresh = sets.find((rs) => rs.spec.template.spec.containers[0].image === 'busybox:latest');
    assert.equal(fresh.spec.replicas, 4);
    assert.equal(sets.find((rs) => rs !== fresh).spec.replicas, 0);
    const pods = await livePods(c, 'crash');
    assert.equal(pods.length, 4);
    assert.ok(pods.every((p) => p.spec.containers[0].image === 'busybox:latest'));
  });
});

describe('Deployment rollouts through kubectl edit, rollout restart and kubectl 1.27', { skip, concurrency: 1 }, () => {
  let c: TestCluster;
  after(async () => {
    if (c) await c.kubectl(['delete', 'deploy,rs', '--all', '--wait=true', '--timeout=60s']);
  });
  useAgentCluster((x) => (c = x), [], 'sqlite');

  it('kubectl edit (KUBE_EDITOR a script) changes the template: a new ReplicaSet rolls out', async () => {
    await apply(c, manifest('ed', 2));
    assert.match(await c.k(['rollout', 'status', 'deployment/ed', '--timeout=120s']), /successfully rolled out/);
    const editor = join(c.dataDir, 'editor.sh');
    writeFileSync(editor, `#!/bin/sh\nsed -i 's/busybox:1.35/busybox:latest/' "$1"\n`);
    chmodSync(editor, 0o755);
    const r = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
      execFile(
        kubectlBinary(),
        ['--kubeconfig', c.kubeconfig, 'edit', 'deployment/ed'],
        { env: { ...process.env, KUBE_EDITOR: editor, EDITOR: editor }, timeout: 60_000 },
        (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      ),
    );
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /deployment.apps\/ed edited/);
    assert.match(await c.k(['rollout', 'status', 'deployment/ed', '--timeout=120s']), /successfully rolled out/);
    const sets = await rsOf(c, 'ed');
    assert.equal(sets.length, 2);
    const fresh = sets.find((rs) => rs.spec.template.spec.containers[0].image === 'busybox:latest');
    assert.equal(fresh.metadata.annotations['deployment.kubernetes.io/revision'], '2');
    assert.equal(fresh.status.availableReplicas, 2);
    const d = (await c.api('GET', `${DEPLOY}/ed`)).body;
    assert.equal(d.metadata.annotations['deployment.kubernetes.io/revision'], '2');
  });

  it('kubectl rollout restart makes a new ReplicaSet with the restartedAt annotation', async () => {
    const before = new Set((await livePods(c, 'ed')).map((p) => p.metadata.name));
    const r = await c.kubectl(['rollout', 'restart', 'deployment/ed']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /deployment.apps\/ed restarted/);
    assert.match(await c.k(['rollout', 'status', 'deployment/ed', '--timeout=120s']), /successfully rolled out/);
    const sets = await rsOf(c, 'ed');
    assert.equal(sets.length, 3);
    const newest = sets.find((rs) => rs.metadata.annotations['deployment.kubernetes.io/revision'] === '3');
    assert.ok(newest.spec.template.metadata.annotations['kubectl.kubernetes.io/restartedAt']);
    const pods = await livePods(c, 'ed');
    assert.equal(pods.length, 2);
    assert.ok(
      pods.every((p) => !before.has(p.metadata.name)),
      'every pod replaced',
    );
  });

  it('kubectl 1.27: set image, rollout status, history, pause, resume and undo', async () => {
    const k27 = async (args: string[]) => {
      const r = await c.kubectl(args, { minor: 27 });
      assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
      return r.stdout;
    };
    await apply(c, manifest('old', 2));
    assert.match(await k27(['rollout', 'status', 'deployment/old', '--timeout=120s']), /successfully rolled out/);
    assert.match(await k27(['set', 'image', 'deployment/old', 'main=busybox:latest']), /deployment.apps\/old image updated/);
    assert.match(await k27(['rollout', 'status', 'deployment/old', '--timeout=120s']), /successfully rolled out/);
    assert.match(await k27(['rollout', 'history', 'deployment/old']), /REVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+<none>/);
    assert.match(await k27(['rollout', 'pause', 'deployment/old']), /deployment.apps\/old paused/);
    await k27(['set', 'env', 'deployment/old', 'COLOR=red']);
    await new Promise((r) => setTimeout(r, 2000));
    assert.equal((await rsOf(c, 'old')).length, 2, 'paused: no new ReplicaSet');
    assert.match(await k27(['rollout', 'resume', 'deployment/old']), /deployment.apps\/old resumed/);
    assert.match(await k27(['rollout', 'status', 'deployment/old', '--timeout=120s']), /successfully rolled out/);
    assert.equal((await rsOf(c, 'old')).length, 3);
    assert.match(await k27(['rollout', 'undo', 'deployment/old']), /deployment.apps\/old rolled back/);
    assert.match(await k27(['rollout', 'status', 'deployment/old', '--timeout=120s']), /successfully rolled out/);
    const d = (await c.api('GET', `${DEPLOY}/old`)).body;
    assert.equal(d.spec.template.spec.containers[0].image, 'busybox:latest');
    assert.equal(d.spec.template.spec.containers[0].env, undefined, 'back at revision 2 (no COLOR)');
    assert.equal(d.metadata.annotations['deployment.kubernetes.io/revision'], '4');
    const pods = await livePods(c, 'old');
    assert.equal(pods.length, 2);
    assert.ok(pods.every((p) => p.spec.containers[0].env === undefined && p.spec.containers[0].image === 'busybox:latest'));
  });
});
