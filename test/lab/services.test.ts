// The kube-proxy on the 3-node lab (each node's `k8ts agent` runs it with the node's identity): a NodePort Service
// answers on every node's address from the host, externalTrafficPolicy Local keeping each node to its own
// endpoint, internalTrafficPolicy Local sends a pod's ClusterIP traffic to its own node's endpoint, and a ClusterIP
// whose only endpoint is on another node is reached from a pod (DNAT on the client's node, host-gw routes between),
// by its DNS name too (the seed's `wget -qO- http://myservice.default.svc.cluster.local`; busybox nslookup through
// the kube-dns ClusterIP, which node 1's kube-proxy takes to the cluster DNS on the control-plane host).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { hostCanRunPods, waitFor } from '../helpers/cluster.js';
import { TestLab } from '../helpers/lab.js';
import { httpGet } from '../node/kubeproxy/helpers.js';

const skip = !hostCanRunPods() && 'needs root, runc, conmon, catatonit and the CNI plugins';

let lab: TestLab;

before(async () => {
  if (skip) return;
  lab = await new TestLab({ nodes: 3 }).up();
});

after(async () => {
  if (lab) assert.deepEqual(await lab.down(), [], 'lab left behind');
});

const webPod = (node: string) => `apiVersion: v1
kind: Pod
metadata: {name: web-${node}, labels: {app: web}}
spec:
  nodeName: ${node}
  terminationGracePeriodSeconds: 1
  containers:
  - name: httpd
    image: busybox:1.35
    imagePullPolicy: Never
    command: ["sh", "-c", "mkdir -p /www && hostname > /www/index.html && exec httpd -f -p 8080 -h /www"]
    ports: [{name: http, containerPort: 8080}]
`;

const clientPod = (node: string) => `apiVersion: v1
kind: Pod
metadata: {name: client-${node}}
spec:
  nodeName: ${node}
  terminationGracePeriodSeconds: 1
  containers: [{name: c, image: busybox:1.35, imagePullPolicy: Never, command: [sleep, "3600"]}]
`;

const ready = async (name: string) =>
  waitFor(async () => (await lab.k(['get', 'pod', name, '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].status}'])) === 'True', 90_000, 250);

test('pods on every node behind Local-policy Services', { skip }, async () => {
  for (const n of lab.nodes) await lab.k(['apply', '-f', '-'], { input: webPod(n.name) + '---\n' + clientPod(n.name) });
  for (const n of lab.nodes) {
    await ready(`web-${n.name}`);
    await ready(`client-${n.name}`);
  }
  await lab.k(['apply', '-f', '-'], {
    input: `apiVersion: v1
kind: Service
metadata: {name: webnp}
spec:
  type: NodePort
  externalTrafficPolicy: Local
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: http}]
---
apiVersion: v1
kind: Service
metadata: {name: weblocal}
spec:
  internalTrafficPolicy: Local
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: http}]
`,
  });
  await waitFor(
    async () => {
      const out = await lab.k(['get', 'endpointslices', '-l', 'kubernetes.io/service-name=webnp', '-o', 'jsonpath={.items[*].endpoints[*].conditions.ready}']);
      return out.split(' ').filter((x) => x === 'true').length === 3;
    },
    30_000,
    250,
  );
});

test('a NodePort answers on every node from the host; externalTrafficPolicy Local keeps each node to its own pod', { skip }, async () => {
  const nodePort = Number(await lab.k(['get', 'svc', 'webnp', '-o', 'jsonpath={.spec.ports[0].nodePort}']));
  for (const n of lab.nodes) {
    const body = await waitFor(async () => httpGet(n.ip, nodePort).catch(() => undefined), 20_000, 200);
    assert.equal(body, `web-${n.name}`, `${n.name} (${n.ip}:${nodePort})`);
    for (let i = 0; i < 5; i++) assert.equal(await httpGet(n.ip, nodePort), `web-${n.name}`);
  }
});

test("internalTrafficPolicy Local: a pod's ClusterIP traffic goes to its own node's endpoint", { skip }, async () => {
  const ip = (await lab.k(['get', 'svc', 'weblocal', '-o', 'jsonpath={.spec.clusterIP}'])).trim();
  assert.ok(ip.startsWith(lab.serviceCIDR.split('.').slice(0, 3).join('.')), ip);
  for (const n of lab.nodes) {
    const body = await waitFor(
      async () => {
        const r = await lab.kubectl(['exec', `client-${n.name}`, '--', 'wget', '-qO-', `http://${ip}/`], { timeoutMs: 20_000 });
        return r.code === 0 ? r.stdout.trim() : undefined;
      },
      20_000,
      250,
    );
    assert.equal(body, `web-${n.name}`);
  }
});

test('a pod reaches a ClusterIP whose only endpoint runs on another node', { skip }, async () => {
  await lab.k(['label', 'pod', 'web-node2', 'only=two']);
  await lab.k(['apply', '-f', '-'], {
    input: 'apiVersion: v1\nkind: Service\nmetadata: {name: myservice}\nspec:\n  selector: {only: two}\n  ports: [{port: 80, targetPort: http}]\n',
  });
  const ip = (await lab.k(['get', 'svc', 'myservice', '-o', 'jsonpath={.spec.clusterIP}'])).trim();
  for (const client of ['client-node1', 'client-node3']) {
    const body = await waitFor(
      async () => {
        const r = await lab.kubectl(['exec', client, '--', 'wget', '-qO-', `http://${ip}/`], { timeoutMs: 20_000 });
        return r.code === 0 ? r.stdout.trim() : undefined;
      },
      30_000,
      250,
    );
    assert.equal(body, 'web-node2', client);
  }
});

test('a pod on node 1 resolves that Service through the kube-dns ClusterIP and reaches it by name', { skip }, async () => {
  const dnsIP = lab.serviceCIDR.replace(/0\/24$/, '10');
  const svcIP = (await lab.k(['get', 'svc', 'myservice', '-o', 'jsonpath={.spec.clusterIP}'])).trim();
  assert.equal((await lab.k(['get', 'svc', 'kube-dns', '-n', 'kube-system', '-o', 'jsonpath={.spec.clusterIP}'])).trim(), dnsIP);
  const resolv = await lab.k(['exec', 'client-node1', '--', 'cat', '/etc/resolv.conf']);
  assert.match(resolv, new RegExp(`^nameserver ${dnsIP.replace(/\./g, '\\.')}$`, 'm'));
  assert.match(resolv, /^search default\.svc\.cluster\.local svc\.cluster\.local cluster\.local/m);
  const fqdn = 'myservice.default.svc.cluster.local';
  const lookup = await waitFor(
    async () => {
      const r = await lab.kubectl(['exec', 'client-node1', '--', 'nslookup', fqdn], { timeoutMs: 20_000 });
      return r.code === 0 && r.stdout;
    },
    30_000,
    500,
  );
  assert.match(lookup, new RegExp(`^Server:\\s+${dnsIP.replace(/\./g, '\\.')}\\s*$`, 'm'));
  assert.match(lookup, new RegExp(`^Address: ${svcIP.replace(/\./g, '\\.')}\\s*$`, 'm'));
  // the short name through the search path, and a name that is not there
  const short = await lab.kubectl(['exec', 'client-node1', '--', 'nslookup', 'myservice'], { timeoutMs: 20_000 });
  assert.match(short.stdout, new RegExp(`^Address: ${svcIP.replace(/\./g, '\\.')}\\s*$`, 'm'));
  const missing = await lab.kubectl(['exec', 'client-node1', '--', 'nslookup', 'nosuchservice.default.svc.cluster.local'], { timeoutMs: 20_000 });
  assert.notEqual(missing.code, 0);
  assert.match(missing.stdout + missing.stderr, /NXDOMAIN/);
  const body = await waitFor(
    async () => {
      const r = await lab.kubectl(['exec', 'client-node1', '--', 'wget', '-qO-', `http://${fqdn}`], { timeoutMs: 20_000 });
      return r.code === 0 ? r.stdout.trim() : undefined;
    },
    30_000,
    250,
  );
  assert.equal(body, 'web-node2');
});
