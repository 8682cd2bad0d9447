// The HPA controller end to end on a real node agent: a ReplicaSet's busy busybox pod (CPU request 100m,
// limit 200m) drives it up to maxReplicas through the scale subresource, with upstream's events and
// conditions; when the load stops it scales back down after its short scale-down stabilization window.
// The same for a Deployment (the HPA scales it; its ReplicaSet follows). A target whose pods have no CPU
// request gets FailedGetResourceMetric. kubectl autoscale (1.33 and 1.27).
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { TestCluster } from '../../helpers/cluster.js';
import { waitFor } from '../../helpers/cluster.js';
import { hostCanRunPods, useAgentCluster, waitPod } from '../kubelet/helpers.js';

/** A ReplicaSet whose pods spin until /tmp/stop exists, then idle. */
const rs = (name: string, requests: boolean) => `apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: ${name}}
spec:
  replicas: 1
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: spin
        image: busybox:1.35
        command: ["sh", "-c", "while [ ! -f /tmp/stop ]; do :; done; exec sleep 3600"]
${requests ? '        resources: {requests: {cpu: 100m}, limits: {cpu: 200m}}' : ''}
`;

/** The template as a bare pod, for a cluster without a ReplicaSet controller (the HPA only needs the scale). */
const pod = (name: string, requests: boolean) => `apiVersion: v1
kind: Pod
metadata: {name: ${name}-0, labels: {app: ${name}}}
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: spin
    image: busybox:1.35
    command: ["sh", "-c", "while [ ! -f /tmp/stop ]; do :; done; exec sleep 3600"]
${requests ? '    resources: {requests: {cpu: 100m}, limits: {cpu: 200m}}' : ''}
`;

const HPA = `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: ReplicaSet, name: web}
  minReplicas: 1
  maxReplicas: 3
  metrics:
  - type: Resource
    resource: {name: cpu, target: {type: Utilization, averageUtilization: 50}}
  behavior:
    scaleDown: {stabilizationWindowSeconds: 5}
`;

async function podsOf(c: TestCluster, app: string): Promise<string[]> {
  const out = await c.k(['get', 'pods', '-l', `app=${app}`, '-o', 'jsonpath={.items[*].metadata.name}']);
  return out.split(/\s+/).filter(Boolean);
}

/** The ReplicaSet's pods: its controller's, or one made here when no controller runs. */
async function ensurePods(c: TestCluster, name: string, requests: boolean): Promise<string[]> {
  await c.k(['apply', '-f', '-'], { input: rs(name, requests) });
  const made = await waitFor(async () => ((await podsOf(c, name)).length ? true : undefined), 8_000, 500).catch(() => false);
  if (!made) await c.k(['apply', '-f', '-'], { input: pod(name, requests) });
  const names = await podsOf(c, name);
  for (const n of names) await waitPod(c, n, (p) => p.status?.phase === 'Running', 60_000);
  return names;
}

const condition = (hpa: any, type: string) => hpa.status?.conditions?.find((x: any) => x.type === type);

describe('HorizontalPodAutoscaler controller', { skip: !hostCanRunPods() && 'needs root and the container runtime' }, () => {
  let c!: TestCluster;
  // the ReplicaSets go before the cluster's pod cleanup, so no controller makes their pods again
  after(async () => {
    await c?.kubectl(['delete', 'hpa,deploy,rs', '--all', '--wait=true', '--timeout=60s']);
  });
  useAgentCluster((x) => (c = x), ['--horizontal-pod-autoscaler-sync-period', '2s']);

  it('scales a busy ReplicaSet up to maxReplicas, then down when the load stops', async () => {
    await ensurePods(c, 'web', true);
    await c.k(['apply', '-f', '-'], { input: HPA });
    const up = await waitFor(
      async () => {
        const h = JSON.parse(await c.k(['get', 'hpa', 'web', '-o', 'json']));
        return h.status?.desiredReplicas === 3 ? h : undefined;
      },
      90_000,
      1000,
    );
    assert.equal(await c.k(['get', 'rs', 'web', '-o', 'jsonpath={.spec.replicas}']), '3');
    assert.ok(up.status.currentMetrics[0].resource.current.averageUtilization > 50, JSON.stringify(up.status.currentMetrics));
    assert.ok(up.status.lastScaleTime);
    assert.equal(condition(up, 'AbleToScale').status, 'True');
    assert.equal(condition(up, 'ScalingActive').reason, 'ValidMetricFound');
    assert.equal(
      condition(up, 'ScalingActive').message,
      'the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)',
    );
    const table = await c.k(['get', 'hpa', 'web', '--no-headers']);
    assert.match(table, /^web\s+ReplicaSet\/web\s+cpu: \d+%\/50%\s+1\s+3\s+\d\s+\d+s$/m);
    const described = await c.k(['describe', 'hpa', 'web']);
    assert.match(described, /SuccessfulRescale\s+.*New size: 3; reason: cpu resource utilization \(percentage of request\) above target/);

    // stop the load in every pod of the target (a ReplicaSet controller, when one runs, may still be starting some)
    const stopped = new Set<string>();
    await waitFor(
      async () => {
        const names = await podsOf(c, 'web');
        for (const n of names) {
          if (stopped.has(n)) continue;
          const r = await c.kubectl(['exec', n, '--', 'touch', '/tmp/stop']);
          if (r.code === 0) stopped.add(n);
        }
        return names.every((n) => stopped.has(n)) ? true : undefined;
      },
      60_000,
      1000,
    );
    const down = await waitFor(
      async () => {
        const h = JSON.parse(await c.k(['get', 'hpa', 'web', '-o', 'json']));
        // the recommendation reaches 1 with ScalingLimited True in the same status write, but be sure of both
        return h.status?.desiredReplicas === 1 && condition(h, 'ScalingLimited')?.status === 'True' ? h : undefined;
      },
      90_000,
      1000,
    );
    assert.equal(await c.k(['get', 'rs', 'web', '-o', 'jsonpath={.spec.replicas}']), '1');
    // no load proposes 0 replicas: held at minReplicas
    assert.equal(condition(down, 'ScalingLimited').status, 'True');
    assert.equal(condition(down, 'ScalingLimited').reason, 'TooFewReplicas');
    const events = await c.k([
      'get',
      'events',
      '--field-selector',
      'involvedObject.kind=HorizontalPodAutoscaler,reason=SuccessfulRescale',
      '-o',
      'jsonpath={.items[*].message}',
    ]);
    assert.match(events, /New size: 1; reason: All metrics below target/);
  });

  it('scales a busy Deployment up under CPU load and back down when the load stops', async () => {
    const deploy = rs('busy', true).replace('kind: ReplicaSet', 'kind: Deployment');
    await c.k(['apply', '-f', '-'], { input: deploy });
    assert.match(await c.k(['rollout', 'status', 'deployment/busy', '--timeout=120s']), /successfully rolled out/);
    await c.k(['apply', '-f', '-'], { input: HPA.replace('name: web}', 'name: busy}').replace('kind: ReplicaSet, name: web', 'kind: Deployment, name: busy') });
    const up = await waitFor(
      async () => {
        const h = JSON.parse(await c.k(['get', 'hpa', 'busy', '-o', 'json']));
        return h.status?.desiredReplicas === 3 ? h : undefined;
      },
      120_000,
      1000,
    );
    assert.ok(up.status.currentMetrics[0].resource.current.averageUtilization > 50, JSON.stringify(up.status.currentMetrics));
    assert.equal(await c.k(['get', 'deploy', 'busy', '-o', 'jsonpath={.spec.replicas}']), '3');
    assert.match(await c.k(['rollout', 'status', 'deployment/busy', '--timeout=120s']), /successfully rolled out/);
    // REPLICAS is status.currentReplicas, which the HPA refreshes from the scale on its next sync (15 s period)
    const row = await waitFor(
      async () => {
        const r = await c.k(['get', 'hpa', 'busy', '--no-headers']);
        return /^busy\s+\S+\s+.*\s+3\s+\d+s$/m.test(r) && r;
      },
      60_000,
      1000,
    );
    assert.match(row, /^busy\s+Deployment\/busy\s+cpu: \d+%\/50%\s+1\s+3\s+3\s+\d+s$/m);
    const stopped = new Set<string>();
    await waitFor(
      async () => {
        const names = await podsOf(c, 'busy');
        for (const n of names) {
          if (stopped.has(n)) continue;
          const r = await c.kubectl(['exec', n, '--', 'touch', '/tmp/stop']);
          if (r.code === 0) stopped.add(n);
        }
        return names.every((n) => stopped.has(n)) ? true : undefined;
      },
      60_000,
      1000,
    );
    await waitFor(
      async () => {
        const h = JSON.parse(await c.k(['get', 'hpa', 'busy', '-o', 'json']));
        return h.status?.desiredReplicas === 1 ? h : undefined;
      },
      120_000,
      1000,
    );
    assert.equal(await c.k(['get', 'deploy', 'busy', '-o', 'jsonpath={.spec.replicas}']), '1');
    await waitFor(async () => ((await podsOf(c, 'busy')).length === 1 ? true : undefined), 60_000, 1000);
    const described = await c.k(['describe', 'hpa', 'busy']);
    assert.match(described, /New size: 3; reason: cpu resource utilization \(percentage of request\) above target/);
    assert.match(described, /New size: 1; reason: All metrics below target/);
  });

  it('reports FailedGetResourceMetric for pods without a CPU request', async () => {
    await ensurePods(c, 'noreq', false);
    await c.k(['autoscale', 'rs', 'noreq', '--cpu-percent=50', '--min=1', '--max=2']);
    const h = await waitFor(
      async () => {
        const o = JSON.parse(await c.k(['get', 'hpa', 'noreq', '-o', 'json']));
        // (right after the pod turned ready its sample may not count yet: "did not receive metrics" first)
        return /missing request/.test(condition(o, 'ScalingActive')?.message ?? '') ? o : undefined;
      },
      60_000,
      1000,
    );
    const active = condition(h, 'ScalingActive');
    assert.equal(active.reason, 'FailedGetResourceMetric');
    assert.match(
      active.message,
      /^the HPA was unable to compute the replica count: failed to get cpu utilization: missing request for cpu in container spin of Pod noreq-/,
    );
    assert.equal(await c.k(['get', 'rs', 'noreq', '-o', 'jsonpath={.spec.replicas}']), '1');
  });

  it('kubectl autoscale creates HPAs with 1.33 and 1.27', async () => {
    await c.k(['apply', '-f', '-'], { input: rs('auto', true).replace('replicas: 1', 'replicas: 0') });
    for (const minor of [33, 27]) {
      const name = `auto${minor}`;
      const r = await c.kubectl(['autoscale', 'rs', 'auto', `--name=${name}`, '--cpu-percent=50', '--min=1', '--max=4'], { minor });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, new RegExp(`horizontalpodautoscaler.autoscaling/${name} autoscaled`));
      const got = await c.k(['get', 'hpa', name, '--no-headers']);
      assert.match(got, new RegExp(`^${name}\\s+ReplicaSet/auto\\s+cpu: <unknown>/50%\\s+1\\s+4\\s+0\\s+\\d+s$`, 'm'));
    }
    // a target at 0 replicas: scaling is disabled, as upstream
    const h = await waitFor(
      async () => {
        const o = JSON.parse(await c.k(['get', 'hpa', 'auto33', '-o', 'json']));
        return condition(o, 'ScalingActive') ? o : undefined;
      },
      30_000,
      1000,
    );
    assert.equal(condition(h, 'ScalingActive').reason, 'ScalingDisabled');
  });
});
