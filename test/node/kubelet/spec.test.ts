// The pod spec on real containers, checked from inside the container and on the host: securityContext,
// resources → cgroup limits, env (value, $(VAR), envFrom, secretKeyRef, fieldRef, resourceFieldRef), volumes
// (emptyDir Memory + sizeLimit, hostPath DirectoryOrCreate, subPath, readOnly), activeDeadlineSeconds, the
// node's Lease and nodeInfo, and hostNetwork (the node's network and host name).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestCluster } from '../../helpers/cluster.js';
import { apply, containerStatus, execIn, hostCanRunPods, isRunningReady, useAgentCluster, waitPod } from './helpers.js';

const skip = hostCanRunPods() ? false : 'needs root, runc, conmon, catatonit, CNI plugins and busybox-static';

describe('kubelet: pod spec on real containers', { skip, concurrency: 1 }, () => {
  let c: TestCluster;
  let hostDir: string;
  useAgentCluster((x) => (c = x));
  before(() => {
    hostDir = mkdtempSync(join(tmpdir(), 'k8ts-hostpath-'));
  });
  after(() => rmSync(hostDir, { recursive: true, force: true }));

  it('applies securityContext and resource limits', async () => {
    await apply(
      c,
      `apiVersion: v1
kind: Pod
metadata: {name: secure}
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: main
    image: busybox:1.35
    command: ["sleep", "3600"]
    securityContext:
      runAsUser: 1000
      runAsGroup: 3000
      readOnlyRootFilesystem: true
      allowPrivilegeEscalation: false
      capabilities: {drop: ["ALL"]}
    resources:
      requests: {cpu: 250m, memory: 32Mi}
      limits: {cpu: 500m, memory: 64Mi}
`,
    );
    const p = await waitPod(c, 'secure', isRunningReady);
    assert.equal((await execIn(c, p, 'main', ['id', '-u'])).stdout.trim(), '1000');
    assert.equal((await execIn(c, p, 'main', ['id', '-g'])).stdout.trim(), '3000');
    const touch = await execIn(c, p, 'main', ['touch', '/probe']);
    assert.notEqual(touch.exitCode, 0);
    assert.match(touch.stderr, /Read-only file system/);
    const status = (await execIn(c, p, 'main', ['cat', '/proc/self/status'])).stdout;
    assert.match(status, /^CapEff:\s+0+$/m);
    assert.match(status, /^NoNewPrivs:\s+1$/m);
    // cgroup v1 limits of the container, read on the host
    const id = containerStatus(p, 'main').containerID.replace('k8ts://', '');
    const cg = `${c.cgroupParent}/pod${p.metadata.uid}/${id}`;
    assert.equal(readFileSync(`/sys/fs/cgroup/memory${cg}/memory.limit_in_bytes`, 'utf8').trim(), String(64 * 1024 * 1024));
    const quota = Number(readFileSync(`/sys/fs/cgroup/cpu${cg}/cpu.cfs_quota_us`, 'utf8'));
    const period = Number(readFileSync(`/sys/fs/cgroup/cpu${cg}/cpu.cfs_period_us`, 'utf8'));
    assert.equal(quota / period, 0.5);
    assert.equal(readFileSync(`/sys/fs/cgroup/cpu${cg}/cpu.shares`, 'utf8').trim(), '256');
  });

  it('builds the environment from values, $(VAR), envFrom, secrets, the downward API and resources', async () => {
    await c.k(['create', 'configmap', 'envcfg', '--from-literal=COLOR=blue', '--from-literal=SIZE=3']);
    await c.k(['create', 'secret', 'generic', 'envsec', '--from-literal=token=s3cr3t']);
    await apply(
      c,
      `apiVersion: v1
kind: Pod
metadata: {name: envy, labels: {tier: web}}
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: main
    image: busybox:1.35
    command: ["sh", "-c", "echo '$(GREETING)' > /tmp/cmd; exec sleep 3600"]
    envFrom:
    - configMapRef: {name: envcfg}
      prefix: CFG_
    env:
    - {name: NAME, value: world}
    - {name: GREETING, value: "hello $(NAME) $$(NAME)"}
    - name: TOKEN
      valueFrom: {secretKeyRef: {name: envsec, key: token}}
    - name: POD_IP
      valueFrom: {fieldRef: {fieldPath: status.podIP}}
    - name: TIER
      valueFrom: {fieldRef: {fieldPath: "metadata.labels['tier']"}}
    - name: MEM_LIMIT_MI
      valueFrom: {resourceFieldRef: {resource: limits.memory, divisor: 1Mi}}
    resources: {limits: {memory: 48Mi}}
`,
    );
    const p = await waitPod(c, 'envy', isRunningReady);
    const env = Object.fromEntries(
      (await execIn(c, p, 'main', ['env'])).stdout
        .trim()
        .split('\n')
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    assert.equal(env.CFG_COLOR, 'blue');
    assert.equal(env.CFG_SIZE, '3');
    assert.equal(env.GREETING, 'hello world $(NAME)');
    assert.equal(env.TOKEN, 's3cr3t');
    assert.equal(env.POD_IP, p.status.podIP);
    assert.equal(env.TIER, 'web');
    assert.equal(env.MEM_LIMIT_MI, '48');
    assert.equal((await execIn(c, p, 'main', ['cat', '/tmp/cmd'])).stdout.trim(), 'hello world $(NAME)');
  });

  it('mounts emptyDir (Memory, sizeLimit), hostPath, subPath and readOnly volumes', async () => {
    await apply(
      c,
      `apiVersion: v1
kind: Pod
metadata: {name: vols}
spec:
  terminationGracePeriodSeconds: 1
  volumes:
  - name: mem
    emptyDir: {medium: Memory, sizeLimit: 8Mi}
  - name: host
    hostPath: {path: ${hostDir}/made, type: DirectoryOrCreate}
  - name: shared
    emptyDir: {}
  containers:
  - name: main
    image: busybox:1.35
    command: ["sh", "-c", "echo from-pod > /host/file; echo sub > /sub/inside; exec sleep 3600"]
    volumeMounts:
    - {name: mem, mountPath: /mem}
    - {name: host, mountPath: /host}
    - {name: shared, mountPath: /sub, subPath: deep/dir}
    - {name: shared, mountPath: /ro, readOnly: true}
`,
    );
    const p = await waitPod(c, 'vols', isRunningReady);
    const df = (await execIn(c, p, 'main', ['df', '-k', '/mem'])).stdout;
    assert.match(df, /tmpfs\s+8192\s/);
    assert.equal(readFileSync(join(hostDir, 'made', 'file'), 'utf8'), 'from-pod\n');
    assert.equal((await execIn(c, p, 'main', ['cat', '/ro/deep/dir/inside'])).stdout, 'sub\n');
    const w = await execIn(c, p, 'main', ['touch', '/ro/x']);
    assert.notEqual(w.exitCode, 0);
    assert.ok(existsSync(join(hostDir, 'made')));
  });

  it('fails a pod past activeDeadlineSeconds with DeadlineExceeded', async () => {
    await apply(
      c,
      `apiVersion: v1
kind: Pod
metadata: {name: deadline}
spec:
  activeDeadlineSeconds: 2
  terminationGracePeriodSeconds: 1
  containers:
  - {name: main, image: busybox:1.35, command: ["sleep", "3600"]}
`,
    );
    const p = await waitPod(c, 'deadline', (x) => x.status?.phase === 'Failed', 20_000);
    assert.equal(p.status.reason, 'DeadlineExceeded');
    assert.equal(p.status.message, 'Pod was active on the node longer than the specified deadline');
    const ev = (await c.api('GET', '/api/v1/namespaces/default/events')).body.items.find(
      (e: any) => e.involvedObject.name === 'deadline' && e.reason === 'DeadlineExceeded',
    );
    assert.ok(ev, 'a DeadlineExceeded event');
  });

  it('keeps a Lease for the node and runs hostNetwork pods in the host network', async () => {
    const node = (await c.api('GET', '/api/v1/nodes')).body.items[0];
    const lease = (await c.api('GET', `/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${node.metadata.name}`)).body;
    assert.equal(lease.spec.holderIdentity, node.metadata.name);
    assert.ok(Date.now() - Date.parse(lease.spec.renewTime) < 30_000);
    assert.ok(node.status.capacity.cpu && node.status.allocatable.memory && node.status.capacity.pods === '110');
    await apply(
      c,
      `apiVersion: v1
kind: Pod
metadata: {name: hostnet}
spec:
  hostNetwork: true
  terminationGracePeriodSeconds: 1
  containers:
  - {name: main, image: busybox:1.35, command: ["sleep", "3600"]}
`,
    );
    const p = await waitPod(c, 'hostnet', isRunningReady);
    const links = (await execIn(c, p, 'main', ['ip', '-o', 'link'])).stdout;
    assert.match(links, new RegExp(c.bridgeName), 'the host bridge is visible from a hostNetwork pod');
    assert.equal(p.status.podIP, p.status.hostIP);
    // the host's UTS namespace: `hostname`, /etc/hostname and $HOSTNAME all say the node's host name
    const names = (await execIn(c, p, 'main', ['sh', '-c', 'hostname; cat /etc/hostname; echo "$HOSTNAME"'])).stdout;
    assert.deepEqual(names.trim().split('\n'), [hostname(), hostname(), hostname()]);
  });

  it('reports every nodeInfo field the OpenAPI schema requires (kubeProxyVersion, deprecated, is empty)', async () => {
    const node = JSON.parse(await c.k(['get', 'nodes', '-o', 'json'])).items[0];
    const doc = (await c.api('GET', '/openapi/v3/api/v1')).body;
    const schema = doc.components.schemas['io.k8s.api.core.v1.NodeSystemInfo'];
    assert.ok(schema.required.includes('kubeProxyVersion'));
    for (const f of schema.required) assert.equal(typeof node.status.nodeInfo[f], 'string', `nodeInfo.${f}`);
    assert.equal(node.status.nodeInfo.kubeProxyVersion, '');
    const version = (await c.api('GET', '/version')).body;
    assert.equal(node.status.nodeInfo.kubeletVersion, version.gitVersion);
  });
});
