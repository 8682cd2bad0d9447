// The 3-node lab (scripts/lab.sh) with real agents and real containers: nodes join and are Ready, a labelled node
// takes the nodeSelector pod, a killed agent's containers keep running and start-node brings the node back, and
// down leaves nothing behind.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { runDirFor } from '../../src/runtime/layout.js';
import { hostCanRunPods, waitFor } from '../helpers/cluster.js';
import { TestLab } from '../helpers/lab.js';

const skip = !hostCanRunPods() && 'needs root, runc, conmon, catatonit and the CNI plugins';

let lab: TestLab;

before(async () => {
  if (skip) return;
  lab = await new TestLab({ nodes: 3 }).up();
});

after(async () => {
  if (lab) await lab.down();
});

function podYaml(name: string, extraSpec = ''): string {
  return `apiVersion: v1
kind: Pod
metadata: {name: ${name}}
spec:
  terminationGracePeriodSeconds: 1
${extraSpec}  containers:
  - name: c
    image: busybox:1.35
    imagePullPolicy: Never
    command: ["sleep", "3600"]
`;
}

async function podField(name: string, jsonpath: string): Promise<string> {
  return lab.k(['get', 'pod', name, '-o', `jsonpath=${jsonpath}`]);
}

async function waitRunning(name: string): Promise<void> {
  await waitFor(async () => (await podField(name, '{.status.phase}')) === 'Running', 60_000, 250);
}

test('three nodes join and are Ready, each with its lab InternalIP and its own podCIDR', { skip }, async () => {
  assert.deepEqual(
    lab.nodes.map((n) => n.name),
    ['node1', 'node2', 'node3'],
  );
  const out = await lab.k([
    'get',
    'nodes',
    '-o',
    'jsonpath={range .items[*]}{.metadata.name} {.status.addresses[?(@.type=="InternalIP")].address} {.spec.podCIDR} {.status.conditions[?(@.type=="Ready")].status}{"\\n"}{end}',
  ]);
  const rows = out
    .trim()
    .split('\n')
    .map((l) => l.split(' '));
  assert.equal(rows.length, 3);
  const cidrs = new Set<string>();
  for (const [name, ip, cidr, ready] of rows) {
    assert.equal(ip, lab.node(name!).ip, `${name}'s InternalIP is its lab address`);
    assert.equal(ready, 'True');
    assert.match(cidr!, new RegExp(`^10\\.244\\.${lab.labNumber}\\.\\d+/26$`));
    cidrs.add(cidr!);
  }
  assert.equal(cidrs.size, 3, 'podCIDRs never collide');
  // kubectl 1.27 reads the lab too
  assert.match(await lab.k(['get', 'nodes'], { minor: 27 }), /node3\s+Ready/);
});

test("the seed's gpu=true label: a pod with nodeSelector gpu=true lands on that node", { skip }, async () => {
  await lab.k(['label', 'node', 'node2', 'gpu=true']);
  await lab.k(['apply', '-f', '-'], { input: podYaml('gpu-pod', '  nodeSelector: {gpu: "true"}\n') });
  await waitRunning('gpu-pod');
  assert.equal(await podField('gpu-pod', '{.spec.nodeName}'), 'node2');
  await lab.k(['delete', 'pod', 'gpu-pod', '--wait=false']);
});

test("a killed agent's containers keep running; start-node brings the node back Ready without restarting them", { skip }, async () => {
  await lab.k(['apply', '-f', '-'], { input: podYaml('survivor', '  nodeName: node3\n') });
  await waitRunning('survivor');
  const containerID = await podField('survivor', '{.status.containerStatuses[0].containerID}');
  const oldPid = lab.node('node3').pid;
  await lab.killAgent('node3');
  // the container still runs while its agent is dead (runc's state in the node's run dir)
  const id = containerID.replace(/^[^:]+:\/\//, '');
  const state = execFileSync('runc', ['--root', join(runDirFor(join(lab.dir, 'nodes', 'node3')), 'runc'), 'state', id], { encoding: 'utf8' });
  assert.equal(JSON.parse(state).status, 'running');
  const pid = await lab.startNode('node3');
  assert.notEqual(pid, oldPid);
  assert.equal(lab.node('node3').pid, pid, 'nodes.tsv has the new agent PID');
  await waitFor(async () => (await lab.k(['get', 'node', 'node3'])).includes(' Ready '), 60_000, 250);
  // same container, not restarted
  await waitFor(async () => (await podField('survivor', '{.status.containerStatuses[0].ready}')) === 'true', 30_000, 250);
  assert.equal(await podField('survivor', '{.status.containerStatuses[0].containerID}'), containerID);
  assert.equal(await podField('survivor', '{.status.containerStatuses[0].restartCount}'), '0');
  await lab.k(['delete', 'pod', 'survivor', '--wait=false']);
});

test('down stops everything and leaves nothing of the lab on the host', { skip }, async () => {
  // a pod per node, so down has sandboxes, pod netns and mounts to remove
  for (const n of lab.nodes) await lab.k(['apply', '-f', '-'], { input: podYaml(`last-${n.name}`, `  nodeName: ${n.name}\n`) });
  for (const n of lab.nodes) await waitRunning(`last-${n.name}`);
  const podNetns = lab.podNetns();
  assert.ok(podNetns.length >= 3);
  const left = await lab.down();
  assert.deepEqual(left, []);
  assert.deepEqual(lab.leftovers(podNetns), []);
});
