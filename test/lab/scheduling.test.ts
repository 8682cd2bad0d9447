// The scheduler on the 3-node lab with real agents and real containers: topology spread over three zones (the
// seed's example: the 4th app=foo pod goes to the empty zone under maxSkew 1), required anti-affinity spreading a
// Deployment's replicas one per node (the extra replica Pending with upstream's FailedScheduling message), and
// preemption of a low-priority pod by a high-priority one that does not fit beside it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { hostCanRunPods, waitFor } from '../helpers/cluster.js';
import { TestLab } from '../helpers/lab.js';

const skip = !hostCanRunPods() && 'needs root, runc, conmon, catatonit and the CNI plugins';
const ZONE = 'topology.kubernetes.io/zone';

let lab: TestLab;

before(async () => {
  if (skip) return;
  lab = await new TestLab({ nodes: 3 }).up();
  for (const [node, zone] of [
    ['node1', 'zoneA'],
    ['node2', 'zoneB'],
    ['node3', 'zoneC'],
  ])
    await lab.k(['label', 'node', node!, `${ZONE}=${zone}`]);
});

after(async () => {
  if (lab) await lab.down();
});

const container = `  containers:
  - name: c
    image: busybox:1.35
    imagePullPolicy: Never
    command: ["sleep", "3600"]
`;

function pod(name: string, labels: string, spec: string): string {
  return `apiVersion: v1
kind: Pod
metadata: {name: ${name}, labels: ${labels}}
spec:
  terminationGracePeriodSeconds: 0
${spec}${container}`;
}

async function field(name: string, jsonpath: string): Promise<string> {
  return lab.k(['get', 'pod', name, '-o', `jsonpath=${jsonpath}`]);
}

async function waitRunning(name: string): Promise<void> {
  await waitFor(async () => (await field(name, '{.status.phase}')) === 'Running', 60_000, 250);
}

test("topology spread over three zones: the seed's 4th app=foo pod goes to the empty zone (maxSkew 1)", { skip }, async () => {
  // two app=foo pods in zoneA, one in zoneB, none in zoneC
  await lab.k(['apply', '-f', '-'], {
    input: [
      pod('foo-a1', '{app: foo}', '  nodeName: node1\n'),
      pod('foo-a2', '{app: foo}', '  nodeName: node1\n'),
      pod('foo-b1', '{app: foo}', '  nodeName: node2\n'),
    ].join('---\n'),
  });
  // and a big pod of another app on node3, so that resource scoring alone would not pick zoneC
  await lab.k(['apply', '-f', '-'], {
    input: pod('hog', '{app: hog}', '  nodeName: node3\n').replace(
      'command: ["sleep", "3600"]',
      'command: ["sleep", "3600"]\n    resources: {requests: {cpu: 900m, memory: 1Gi}}',
    ),
  });
  for (const p of ['foo-a1', 'foo-a2', 'foo-b1', 'hog']) await waitRunning(p);
  const spread = `  topologySpreadConstraints:
  - maxSkew: 1
    topologyKey: ${ZONE}
    whenUnsatisfiable: DoNotSchedule
    labelSelector: {matchLabels: {app: foo}}
`;
  await lab.k(['apply', '-f', '-'], { input: pod('foo-new', '{app: foo}', spread) });
  await waitRunning('foo-new');
  assert.equal(await field('foo-new', '{.spec.nodeName}'), 'node3', 'zoneC is the only zone within maxSkew 1');
  // the next one may go to zoneB or zoneC (both at skew 1), never to zoneA (skew 2)
  await lab.k(['apply', '-f', '-'], { input: pod('foo-next', '{app: foo}', spread) });
  await waitRunning('foo-next');
  assert.notEqual(await field('foo-next', '{.spec.nodeName}'), 'node1');
  await lab.k(['delete', 'pod', '-l', 'app in (foo,hog)', '--wait=true', '--timeout=60s']);
});

test('required anti-affinity spreads replicas one per node; a 4th replica stays Pending with the FailedScheduling message', { skip }, async () => {
  await lab.k(['apply', '-f', '-'], {
    input: `apiVersion: apps/v1
kind: Deployment
metadata: {name: spread}
spec:
  replicas: 3
  selector: {matchLabels: {app: spread}}
  template:
    metadata: {labels: {app: spread}}
    spec:
      terminationGracePeriodSeconds: 0
      affinity:
        podAntiAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
          - labelSelector: {matchLabels: {app: spread}}
            topologyKey: kubernetes.io/hostname
      containers:
      - {name: c, image: busybox:1.35, imagePullPolicy: Never, command: ["sleep", "3600"]}
`,
  });
  const rollout = await lab.kubectl(['rollout', 'status', 'deployment/spread', '--timeout=90s'], { timeoutMs: 100_000 });
  assert.equal(rollout.code, 0, rollout.stderr);
  const nodes = (await lab.k(['get', 'pods', '-l', 'app=spread', '-o', 'jsonpath={.items[*].spec.nodeName}'])).split(' ').sort();
  assert.deepEqual(nodes, ['node1', 'node2', 'node3']);

  await lab.k(['scale', 'deployment/spread', '--replicas=4']);
  const pending = await waitFor(
    async () => {
      const out = await lab.k(['get', 'pods', '-l', 'app=spread', '--field-selector=status.phase=Pending', '-o', 'jsonpath={.items[*].metadata.name}']);
      return out.trim() || undefined;
    },
    30_000,
    250,
  );
  const events = await waitFor(
    async () => {
      const out = await lab.k([
        'get',
        'events',
        '--field-selector',
        `involvedObject.name=${pending},reason=FailedScheduling`,
        '-o',
        'jsonpath={.items[*].message}',
      ]);
      return out.trim() || undefined;
    },
    30_000,
    250,
  );
  assert.match(
    events,
    /^0\/3 nodes are available: 3 node\(s\) didn't match pod anti-affinity rules\. preemption: 0\/3 nodes are available: 3 No preemption victims found for incoming pod\./,
  );
  assert.match(await lab.k(['describe', 'pod', pending]), /FailedScheduling .*didn't match pod anti-affinity rules/);
  await lab.k(['delete', 'deployment', 'spread', '--wait=true', '--timeout=60s']);
});

test('preemption: a high-priority pod that does not fit evicts the low-priority one on its node', { skip }, async () => {
  await lab.k(['apply', '-f', '-'], {
    input: `apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata: {name: k8ts-lab-low}
value: 100
---
apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata: {name: k8ts-lab-high}
value: 100000
`,
  });
  const cpu = Number(
    await lab
      .k(['get', 'node', 'node1', '-o', 'jsonpath={.status.allocatable.cpu}'])
      .then((s) => (s.endsWith('m') ? Number(s.slice(0, -1)) : Number(s) * 1000)),
  );
  assert.ok(cpu >= 1000, `node1 allocatable cpu ${cpu}m`);
  // each asks for 60% of the node: the two never fit together
  const asks = Math.floor(cpu * 0.6);
  const withCPU = (priority: string) =>
    `  nodeSelector: {kubernetes.io/hostname: node1}\n  priorityClassName: ${priority}\n` +
    container.replace('command: ["sleep", "3600"]', `command: ["sleep", "3600"]\n    resources: {requests: {cpu: ${asks}m}}`);
  const podWith = (name: string, priority: string) => `apiVersion: v1
kind: Pod
metadata: {name: ${name}}
spec:
  terminationGracePeriodSeconds: 0
${withCPU(priority)}`;
  await lab.k(['apply', '-f', '-'], { input: podWith('victim', 'k8ts-lab-low') });
  await waitRunning('victim');
  assert.equal(await field('victim', '{.spec.priority}'), '100');
  const victimUID = await field('victim', '{.metadata.uid}');

  await lab.k(['apply', '-f', '-'], { input: podWith('preemptor', 'k8ts-lab-high') });
  await waitRunning('preemptor');
  assert.equal(await field('preemptor', '{.spec.nodeName}'), 'node1');
  const gone = await lab.kubectl(['get', 'pod', 'victim', '-o', 'jsonpath={.metadata.uid}']);
  assert.ok(gone.code !== 0 || gone.stdout !== victimUID, 'the low-priority pod was deleted');
  const preempted = await lab.k(['get', 'events', '--field-selector', 'involvedObject.name=victim,reason=Preempted', '-o', 'jsonpath={.items[*].message}']);
  assert.match(preempted, /^Preempted by pod \S+ on node node1/);
  await lab.k(['delete', 'pod', 'preemptor', '--wait=true', '--timeout=60s']);
  await lab.k(['delete', 'priorityclass', 'k8ts-lab-low', 'k8ts-lab-high']);
});
