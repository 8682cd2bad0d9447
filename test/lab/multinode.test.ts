// The 3-node lab (scripts/lab.sh) with real agents and real containers: nodes join and are Ready, a labelled node
// takes the nodeSelector pod, pods reach each other across nodes with their own IPs (host-gw routes, no NAT) and
// leave the cluster CIDR with their node's address (masquerade), a killed agent's containers keep running and
// start-node brings the node back, a deleted node's routes go, and down leaves nothing behind.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { runDirFor } from '../../src/runtime/layout.js';
import { hostCanRunPods, waitFor } from '../helpers/cluster.js';
import { TestLab } from '../helpers/lab.js';
import { cidrContains } from '../../src/podnetwork/route_table.js';

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

test('nodes join with the bootstrap token: their CSRs are Approved and Issued, each agent holds a certificate for system:node:<name>', { skip }, async () => {
  // the agents were started with the printed join command, never with a minted identity
  for (const n of lab.nodes) {
    const args = readFileSync(join(lab.dir, 'nodes', n.name, 'join.args'), 'utf8');
    assert.match(args, /^--token\n[a-z0-9]{6}\.[a-z0-9]{16}\n--discovery-token-ca-cert-hash\nsha256:[0-9a-f]{64}\n$/);
  }
  const csrs = JSON.parse(await lab.k(['get', 'csr', '-o', 'json'])) as {
    items: { spec: { signerName: string; username: string }; status: { conditions?: { type: string; reason?: string }[]; certificate?: string } }[];
  };
  const clientCSRs = csrs.items.filter((c) => c.spec.signerName === 'kubernetes.io/kube-apiserver-client-kubelet');
  assert.equal(clientCSRs.length, 3, 'one node client CSR per node');
  for (const c of clientCSRs) {
    assert.match(c.spec.username, /^system:bootstrap:[a-z0-9]{6}$/, 'asked for with the bootstrap token');
    assert.equal(c.status.conditions?.find((x) => x.type === 'Approved')?.reason, 'AutoApproved');
    assert.ok(c.status.certificate, 'issued');
  }
  const table = await lab.k(['get', 'csr']);
  assert.match(table.split('\n')[0]!, /^NAME\s+AGE\s+SIGNERNAME\s+REQUESTOR\s+REQUESTEDDURATION\s+CONDITION$/);
  assert.match(table, /kube-apiserver-client-kubelet\s+system:bootstrap:\S+\s+<none>\s+Approved,Issued/);
  for (const n of lab.nodes) {
    const pem = readFileSync(join(lab.dir, 'nodes', n.name, 'pki', 'kubelet-client-current.pem'), 'utf8');
    const cert = new X509Certificate(pem);
    assert.equal(cert.subject, `O=system:nodes\nCN=system:node:${n.name}`);
    assert.ok(cert.checkIssued(new X509Certificate(readFileSync(join(lab.dir, 'server', 'pki', 'client-ca.crt')))), 'signed by the client CA');
    // its serving certificate came by a kubelet-serving CSR, for its own name and InternalIP (asked for once the
    // agent runs, so it may still be on its way when the node is Ready)
    const servingFile = join(lab.dir, 'nodes', n.name, 'pki', 'kubelet-server-current.pem');
    await waitFor(async () => existsSync(servingFile), 30_000, 200);
    const serving = new X509Certificate(readFileSync(servingFile, 'utf8'));
    assert.equal(serving.subjectAltName, `DNS:${n.name}, IP Address:${n.ip}`);
  }
  for (const n of lab.nodes) assert.ok(existsSync(join(lab.dir, 'nodes', n.name, 'kubelet.kubeconfig')), 'and the kubeconfig it runs with');
});

test("the seed's gpu=true label: a pod with nodeSelector gpu=true lands on that node", { skip }, async () => {
  await lab.k(['label', 'node', 'node2', 'gpu=true']);
  await lab.k(['apply', '-f', '-'], { input: podYaml('gpu-pod', '  nodeSelector: {gpu: "true"}\n') });
  await waitRunning('gpu-pod');
  assert.equal(await podField('gpu-pod', '{.spec.nodeName}'), 'node2');
  await lab.k(['delete', 'pod', 'gpu-pod', '--wait=false']);
});

test("pod to pod across nodes by IP without NAT: the receiver sees the sender's pod IP", { skip }, async () => {
  // httpd logs each request's peer address; it serves the pod's /etc (GET /hostname answers the pod's name)
  await lab.k(['apply', '-f', '-'], {
    input: podYaml('web', '  nodeName: node3\n').replace('command: ["sleep", "3600"]', 'command: ["httpd", "-f", "-vv", "-p", "8080", "-h", "/etc"]'),
  });
  await lab.k(['apply', '-f', '-'], { input: podYaml('client', '  nodeName: node1\n') });
  await waitRunning('web');
  await waitRunning('client');
  const webIP = await podField('web', '{.status.podIP}');
  const clientIP = await podField('client', '{.status.podIP}');
  assert.ok(cidrContains(lab.clusterCIDR, webIP) && cidrContains(lab.clusterCIDR, clientIP));
  const body = await lab.k(['exec', 'client', '--', 'wget', '-qO-', `http://${webIP}:8080/hostname`]);
  assert.equal(body.trim(), 'web');
  await waitFor(async () => (await lab.k(['logs', 'web'])).includes(`${clientIP}]:`), 10_000, 200);
  // each node routes the other nodes' podCIDRs via their InternalIPs (host-gw), on eth0
  const routes = (await lab.exec('node1', ['ip', '-4', 'route', 'show', 'proto', '107'])).stdout;
  for (const n of ['node2', 'node3']) {
    const cidr = await lab.k(['get', 'node', n, '-o', 'jsonpath={.spec.podCIDR}']);
    assert.match(routes, new RegExp(`^${cidr.replace(/[./]/g, '\\$&')} via ${lab.node(n).ip.replace(/\./g, '\\.')} dev eth0`, 'm'));
  }
  // the control plane host routes to the pods too: the API server's pods/proxy reaches web on node3
  assert.equal((await lab.k(['get', '--raw', '/api/v1/namespaces/default/pods/web:8080/proxy/hostname'])).trim(), 'web');
  await lab.k(['delete', 'pod', 'web', 'client', '--wait=false']);
});

test("traffic leaving the cluster CIDR is masqueraded: a server on the host sees the node's address, not the pod's", { skip }, async () => {
  const peers: string[] = [];
  const srv = createServer((req, res) => {
    peers.push(req.socket.remoteAddress ?? '');
    res.end('outside\n');
  });
  await new Promise<void>((res) => srv.listen(0, lab.hostIP, res));
  try {
    await lab.k(['apply', '-f', '-'], { input: podYaml('outbound', '  nodeName: node1\n') });
    await waitRunning('outbound');
    const url = `http://${lab.hostIP}:${(srv.address() as AddressInfo).port}/`;
    assert.equal((await lab.k(['exec', 'outbound', '--', 'wget', '-qO-', url])).trim(), 'outside');
    assert.deepEqual(peers, [lab.node('node1').ip]);
  } finally {
    srv.close();
  }
  await lab.k(['delete', 'pod', 'outbound', '--wait=false']);
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

test('a deleted node loses its routes on the other machines', { skip }, async () => {
  const cidr = await lab.k(['get', 'node', 'node2', '-o', 'jsonpath={.spec.podCIDR}']);
  const hostRoutes = () => execFileSync('ip', ['-4', 'route', 'show', 'proto', '107'], { encoding: 'utf8' });
  assert.ok(hostRoutes().includes(`${cidr} via ${lab.node('node2').ip}`));
  await lab.killAgent('node2');
  await lab.k(['delete', 'node', 'node2']);
  await waitFor(async () => !hostRoutes().includes(`${cidr} `), 20_000, 200);
  await waitFor(async () => !(await lab.exec('node1', ['ip', '-4', 'route', 'show', 'proto', '107'])).stdout.includes(`${cidr} `), 20_000, 200);
});

test('down stops everything and leaves nothing of the lab on the host', { skip }, async () => {
  // a pod per (remaining) node, so down has sandboxes, pod netns and mounts to remove
  const nodes = (await lab.k(['get', 'nodes', '-o', 'jsonpath={.items[*].metadata.name}'])).split(' ');
  for (const n of nodes) await lab.k(['apply', '-f', '-'], { input: podYaml(`last-${n}`, `  nodeName: ${n}\n`) });
  for (const n of nodes) await waitRunning(`last-${n}`);
  const podNetns = lab.podNetns();
  assert.ok(podNetns.length >= nodes.length);
  const left = await lab.down();
  assert.deepEqual(left, []);
  assert.deepEqual(lab.leftovers(podNetns), []);
});
