// The kube-proxy inside `k8ts server` on one node, with real containers and the real kubectl: ClusterIP traffic
// from a pod spread over three replicas, a pod failing readiness taken out of rotation, NodePort from the host
// (node address and 127.0.0.1), ClientIP session affinity, hairpin (a pod reaching itself through its Service),
// a selectorless Service reached through its user's Endpoints, a Service without endpoints refused at once,
// headless and ExternalName Services without rules.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import type { TestCluster } from '../../helpers/cluster.js';
import { waitFor } from '../../helpers/cluster.js';
import { apply, hostCanRunPods, isRunningReady, useAgentCluster, waitPod } from '../kubelet/helpers.js';
import { hostIP, httpGet, nftTable } from './helpers.js';

const skip = hostCanRunPods() ? false : 'needs root, runc, conmon, catatonit, CNI plugins and busybox-static';

/** An httpd answering its pod's name on / and, while /www/ready.html exists, ready. */
const webPod = (name: string, labels: string) => `apiVersion: v1
kind: Pod
metadata: {name: ${name}, labels: {${labels}}}
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: httpd
    image: busybox:1.35
    command: ["sh", "-c", "mkdir -p /www && hostname > /www/index.html && touch /www/ready.html && exec httpd -f -p 8080 -h /www"]
    ports: [{name: http, containerPort: 8080}]
    readinessProbe:
      httpGet: {path: /ready.html, port: http}
      periodSeconds: 1
      failureThreshold: 1
`;

const service = (name: string, selector: string, extra = '', type = 'ClusterIP') => `apiVersion: v1
kind: Service
metadata: {name: ${name}}
spec:
  type: ${type}
  selector: {${selector}}
  ports: [{name: http, port: 80, targetPort: http}]
${extra}`;

describe('kube-proxy in k8ts server: Service traffic on one node', { skip, concurrency: 1 }, () => {
  let c: TestCluster;
  useAgentCluster((x) => (c = x));
  let table = '';

  const clusterIP = async (svc: string) => (await c.k(['get', 'svc', svc, '-o', 'jsonpath={.spec.clusterIP}'])).trim();
  const wget = async (pod: string, url: string) => c.kubectl(['exec', pod, '--', 'wget', '-qO-', url], { timeoutMs: 20_000 });
  const readyEndpoints = async (svc: string) => {
    const slices = JSON.parse(await c.k(['get', 'endpointslices', '-l', `kubernetes.io/service-name=${svc}`, '-o', 'json'])).items;
    return slices.flatMap((s: any) => (s.endpoints ?? []).filter((e: any) => e.conditions?.ready).map((e: any) => e.targetRef?.name)).sort();
  };

  it('starts three web replicas and a client pod', async () => {
    table = c.nftTable;
    await apply(c, [webPod('web-a', 'app: web'), webPod('web-b', 'app: web'), webPod('web-c', 'app: web')].join('---\n'));
    await apply(
      c,
      'apiVersion: v1\nkind: Pod\nmetadata: {name: client}\nspec:\n  terminationGracePeriodSeconds: 1\n  containers: [{name: c, image: busybox:1.35, command: [sleep, "3600"]}]\n',
    );
    for (const p of ['web-a', 'web-b', 'web-c', 'client']) await waitPod(c, p, isRunningReady, 60_000);
  });

  it('reaches a ClusterIP from a pod, spreading connections over the three replicas', async () => {
    await apply(c, service('web', 'app: web'));
    const ip = await clusterIP('web');
    assert.ok(ip.startsWith(c.serviceCIDR.split('.').slice(0, 3).join('.')), `${ip} in ${c.serviceCIDR}`);
    await waitFor(async () => (await readyEndpoints('web')).length === 3, 30_000, 200);
    // the proxy's table holds the Service's chain and map entry
    await waitFor(async () => nftTable(table).includes(`${ip} . tcp . 80 : goto service-`), 15_000, 200);
    const seen = new Set<string>();
    for (let i = 0; i < 60 && seen.size < 3; i++) {
      const r = await wget('client', `http://${ip}/`);
      assert.equal(r.code, 0, `wget through ${ip}: ${r.stderr}`);
      seen.add(r.stdout.trim());
    }
    assert.deepEqual([...seen].sort(), ['web-a', 'web-b', 'web-c']);
  });

  it('stops sending traffic to a pod that fails readiness once it leaves the EndpointSlice', async () => {
    await c.k(['exec', 'web-c', '--', 'rm', '/www/ready.html']);
    await waitFor(async () => JSON.stringify(await readyEndpoints('web')) === JSON.stringify(['web-a', 'web-b']), 30_000, 200);
    const ip = await clusterIP('web');
    // the kernel follows the slice: web-c's endpoint chain goes away
    await waitFor(async () => !nftTable(table).includes(`dnat to ${await podIP('web-c')}:8080`), 15_000, 200);
    const seen = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const r = await wget('client', `http://${ip}/`);
      assert.equal(r.code, 0, r.stderr);
      seen.add(r.stdout.trim());
    }
    assert.ok(!seen.has('web-c'), `web-c still answered: ${[...seen]}`);
    assert.ok(seen.size >= 1);
    await c.k(['exec', 'web-c', '--', 'touch', '/www/ready.html']);
    await waitFor(async () => (await readyEndpoints('web')).length === 3, 30_000, 200);
  });

  const podIP = async (name: string) => (await c.k(['get', 'pod', name, '-o', 'jsonpath={.status.podIP}'])).trim();

  it('serves a NodePort on the node address and on 127.0.0.1 from the host', async () => {
    await apply(c, service('webnp', 'app: web', '', 'NodePort'));
    const nodePort = Number((await c.k(['get', 'svc', 'webnp', '-o', 'jsonpath={.spec.ports[0].nodePort}'])).trim());
    const [lo, hi] = c.nodePortRange.split('-').map(Number);
    assert.ok(nodePort >= lo! && nodePort <= hi!, `${nodePort} in ${c.nodePortRange}`);
    await waitFor(async () => nftTable(table).includes(`tcp . ${nodePort} : goto external-`), 15_000, 200);
    for (const host of [hostIP(), '127.0.0.1']) {
      const seen = new Set<string>();
      for (let i = 0; i < 40 && seen.size < 2; i++) seen.add(await httpGet(host, nodePort));
      assert.ok([...seen].every((s) => /^web-[abc]$/.test(s)) && seen.size >= 2, `${host}:${nodePort} answered ${[...seen]}`);
    }
  });

  it('keeps a client on one backend with sessionAffinity ClientIP', async () => {
    await apply(c, service('sticky', 'app: web', '  sessionAffinity: ClientIP\n  sessionAffinityConfig: {clientIP: {timeoutSeconds: 600}}\n'));
    const ip = await clusterIP('sticky');
    await waitFor(async () => nftTable(table).includes(`${ip} . tcp . 80 : goto service-`), 15_000, 200);
    assert.match(nftTable(table), /timeout 10m/);
    const seen = new Set<string>();
    for (let i = 0; i < 12; i++) {
      const r = await wget('client', `http://${ip}/`);
      assert.equal(r.code, 0, r.stderr);
      seen.add(r.stdout.trim());
    }
    assert.equal(seen.size, 1, `affinity broken: ${[...seen]}`);
  });

  it('lets a pod reach itself through its own Service (hairpin)', async () => {
    await c.k(['label', 'pod', 'web-a', 'solo=yes']);
    await apply(c, service('solo', 'solo: "yes"'));
    const ip = await clusterIP('solo');
    await waitFor(async () => (await readyEndpoints('solo')).length === 1, 30_000, 200);
    await waitFor(async () => nftTable(table).includes(`${ip} . tcp . 80 : goto service-`), 15_000, 200);
    const r = await wget('web-a', `http://${ip}/`);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), 'web-a');
  });

  it('reaches a Service without a selector through the Endpoints its user wrote (mirrored into a slice)', async () => {
    const backend = await podIP('web-b');
    await apply(
      c,
      `apiVersion: v1
kind: Service
metadata: {name: manual}
spec:
  ports: [{port: 80, targetPort: 8080}]
---
apiVersion: v1
kind: Endpoints
metadata: {name: manual}
subsets:
- addresses: [{ip: ${backend}}]
  ports: [{port: 8080}]
`,
    );
    const ip = await clusterIP('manual');
    await waitFor(async () => nftTable(table).includes(`${ip} . tcp . 80 : goto service-`), 15_000, 200);
    const r = await wget('client', `http://${ip}/`);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), 'web-b');
  });

  it('refuses connections to a Service without endpoints at once, from pods and from the host', async () => {
    await apply(c, service('empty', 'app: nothing'));
    const ip = await clusterIP('empty');
    await waitFor(async () => nftTable(table).includes(`${ip} . tcp . 80 : goto reject-chain`), 15_000, 200);
    const r = await wget('client', `http://${ip}/`);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr + r.stdout, /refused/i);
    const err = await new Promise<NodeJS.ErrnoException>((resolve) => {
      const s = net.connect({ host: ip, port: 80 });
      s.on('connect', () => resolve(Object.assign(new Error('connected'), { code: 'CONNECTED' })));
      s.on('error', (e: NodeJS.ErrnoException) => resolve(e));
    });
    assert.equal(err.code, 'ECONNREFUSED');
  });

  it('leaves headless and ExternalName Services without rules', async () => {
    await apply(c, service('hl', 'app: web', '  clusterIP: None\n'));
    await apply(c, 'apiVersion: v1\nkind: Service\nmetadata: {name: ext}\nspec: {type: ExternalName, externalName: example.com}\n');
    // a later Service's rules landing shows the proxy has processed the two before it
    await apply(c, service('marker', 'app: web'));
    const ip = await clusterIP('marker');
    await waitFor(async () => nftTable(table).includes(`${ip} . tcp . 80`), 15_000, 200);
    const t = nftTable(table);
    assert.ok(!t.includes('default/hl/') && !t.includes('default/ext/'), 'no chains for headless or ExternalName Services');
  });
});
