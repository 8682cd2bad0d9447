// Node lifecycle on the 3-node lab with real agents and containers: a node agent killed → the node goes
// NotReady (Ready Unknown, NodeStatusUnknown) and is tainted unreachable → its ReplicaSet pods are evicted after
// their short tolerationSeconds (shown Unknown, reason NodeLost) and replaced on the healthy nodes → the agent
// started again → the node is Ready, untainted, and the evicted pods are gone. Then kubectl drain is blocked by a
// PodDisruptionBudget and completes once the budget allows it, evicting one pod at a time.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { hostCanRunPods, waitFor } from '../helpers/cluster.js';
import { TestLab } from '../helpers/lab.js';

const skip = !hostCanRunPods() && 'needs root, runc, conmon, catatonit and the CNI plugins';

let lab: TestLab;

before(async () => {
  if (skip) return;
  // the agents renew their Lease every 10 s: a 15 s grace keeps live nodes Ready
  lab = await new TestLab({ nodes: 3, serverArgs: ['--node-monitor-grace-period=15s', '--node-monitor-period=1s'] }).up();
});

after(async () => {
  if (lab) await lab.down();
});

const RS = `apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      terminationGracePeriodSeconds: 1
      tolerations:
      - {key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute, tolerationSeconds: 3}
      - {key: node.kubernetes.io/not-ready, operator: Exists, effect: NoExecute, tolerationSeconds: 3}
      containers:
      - name: c
        image: busybox:1.35
        imagePullPolicy: Never
        command: ["sleep", "3600"]
`;

interface PodRow {
  name: string;
  node: string;
  phase: string;
  ready: string;
  deleting: boolean;
  reason: string;
}

async function webPods(): Promise<PodRow[]> {
  const out = JSON.parse(await lab.k(['get', 'pods', '-l', 'app=web', '-o', 'json']));
  return out.items.map((p: any) => ({
    name: p.metadata.name,
    node: p.spec.nodeName ?? '',
    phase: p.status.phase,
    ready: p.status.conditions?.find((c: any) => c.type === 'Ready')?.status ?? '',
    deleting: !!p.metadata.deletionTimestamp,
    reason: p.status.reason ?? '',
  }));
}

const readyOn = (rows: PodRow[], exclude: string) => rows.filter((r) => !r.deleting && r.ready === 'True' && r.node !== exclude);

test('agent killed → node Unknown and tainted → pods evicted and replaced on healthy nodes → agent back → node Ready', { skip }, async () => {
  await lab.k(['apply', '-f', '-'], { input: RS });
  const first = await waitFor(
    async () => {
      const rows = await webPods();
      return rows.length === 2 && rows.every((r) => r.ready === 'True') ? rows : undefined;
    },
    90_000,
    500,
  );
  const victim = first[0]!.node;
  const onVictim = first.filter((r) => r.node === victim).map((r) => r.name);
  await lab.killAgent(victim);

  const node = await waitFor(
    async () => {
      const n = JSON.parse(await lab.k(['get', 'node', victim, '-o', 'json']));
      return n.spec.taints?.some((t: any) => t.key === 'node.kubernetes.io/unreachable' && t.effect === 'NoExecute') ? n : undefined;
    },
    60_000,
    500,
  );
  const ready = node.status.conditions.find((c: any) => c.type === 'Ready');
  assert.deepEqual([ready.status, ready.reason, ready.message], ['Unknown', 'NodeStatusUnknown', 'Kubelet stopped posting node status.']);
  assert.match(await lab.k(['get', 'node', victim]), new RegExp(`^${victim}\\s+NotReady\\s`, 'm'));

  // the victim's pods are deleted (NodeLost: kubectl shows Unknown) and replaced elsewhere
  const replaced = await waitFor(
    async () => {
      const rows = await webPods();
      const healthy = readyOn(rows, victim);
      return healthy.length === 2 && onVictim.every((n) => rows.find((r) => r.name === n)?.deleting !== false) ? rows : undefined;
    },
    90_000,
    500,
  );
  for (const r of replaced.filter((x) => onVictim.includes(x.name))) assert.equal(r.reason, 'NodeLost');
  const table = await lab.k(['get', 'pods', '-l', 'app=web']);
  for (const n of onVictim) if (replaced.some((r) => r.name === n)) assert.match(table, new RegExp(`^${n}\\s+\\S+\\s+Unknown\\s`, 'm'));
  const events = await lab.k(['get', 'events', '--field-selector', `involvedObject.name=${onVictim[0]}`]);
  assert.match(events, /TaintManagerEviction/);

  await lab.startNode(victim);
  await waitFor(
    async () => {
      const n = JSON.parse(await lab.k(['get', 'node', victim, '-o', 'json']));
      const r = n.status.conditions.find((c: any) => c.type === 'Ready');
      return r.status === 'True' && !(n.spec.taints ?? []).some((t: any) => t.key.startsWith('node.kubernetes.io/')) ? n : undefined;
    },
    60_000,
    500,
  );
  // the returning kubelet finishes the evicted pods' deletion
  await waitFor(async () => (await webPods()).every((r) => !onVictim.includes(r.name)), 60_000, 500);
  assert.equal(readyOn(await webPods(), '').length, 2);
});

test('kubectl drain is blocked by a PodDisruptionBudget, then drains one pod at a time once it allows', { skip }, async () => {
  await lab.k(['create', 'pdb', 'web', '--selector=app=web', '--min-available=2']);
  const rows = await waitFor(
    async () => {
      const r = readyOn(await webPods(), '');
      return r.length === 2 ? r : undefined;
    },
    60_000,
    500,
  );
  const target = rows[0]!.node;
  await waitFor(async () => JSON.parse(await lab.k(['get', 'pdb', 'web', '-o', 'json'])).status.currentHealthy === 2, 30_000, 250);
  const blocked = await lab.kubectl(['drain', target, '--ignore-daemonsets', '--delete-emptydir-data', '--timeout=8s'], { timeoutMs: 60_000 });
  assert.notEqual(blocked.code, 0);
  assert.match(blocked.stderr, /Cannot evict pod as it would violate the pod's disruption budget\./);

  await lab.k(['patch', 'pdb', 'web', '--type=merge', '-p', '{"spec":{"minAvailable":1}}']);
  const ok = await lab.kubectl(['drain', target, '--ignore-daemonsets', '--delete-emptydir-data', '--timeout=120s'], { timeoutMs: 150_000 });
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, new RegExp(`node/${target} drained`));
  const after = await waitFor(
    async () => {
      const r = readyOn(await webPods(), target);
      return r.length === 2 ? r : undefined;
    },
    60_000,
    500,
  );
  assert.ok(after.every((r) => r.node !== target));
  await lab.k(['uncordon', target]);
  await lab.k(['delete', 'pdb', 'web']);
  await lab.k(['delete', 'rs', 'web']);
});
