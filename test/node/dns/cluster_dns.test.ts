// Cluster DNS with real containers and the real kubectl: the kube-dns Service (ClusterIP the 10th address of
// the Service range, its endpoint the node's pod gateway), pods' resolv.conf by dnsPolicy, busybox nslookup from
// a pod resolving Services, a headless Service's pod IPs, a StatefulSet pod's own name, SRV and PTR.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { TestCluster } from '../../helpers/cluster.js';
import { waitFor } from '../../helpers/cluster.js';
import { apply, hostCanRunPods, isRunningReady, useAgentCluster, waitPod } from '../kubelet/helpers.js';

const skip = hostCanRunPods() ? false : 'needs root, runc, conmon, catatonit, CNI plugins and busybox-static';

const sleeper = (name: string, extra = '', labels = '{app: dnstest}') => `apiVersion: v1
kind: Pod
metadata: {name: ${name}, labels: ${labels}}
spec:
  terminationGracePeriodSeconds: 0
${extra}  containers:
  - {name: c, image: busybox:1.35, command: [sleep, "3600"]}
`;

/** Where the kube-dns endpoint is (ip:port), from its EndpointSlice. */
async function dnsEndpoint(c: TestCluster): Promise<string> {
  return waitFor(
    async () => {
      const r = await c.kubectl(['get', 'endpointslice', 'kube-dns', '-n', 'kube-system', '-o', 'jsonpath={.endpoints[0].addresses[0]}:{.ports[0].port}']);
      return r.code === 0 && /^\d+\.\d+\.\d+\.\d+:\d+$/.test(r.stdout.trim()) && r.stdout.trim();
    },
    30_000,
    200,
  );
}

/** busybox nslookup in a pod: through its resolv.conf (the kube-dns ClusterIP, kube-proxy's DNAT) unless a server is given. */
async function nslookup(c: TestCluster, pod: string, args: string[], server?: string): Promise<{ code: number; out: string }> {
  const r = await c.kubectl(['exec', pod, '--', 'nslookup', ...args, ...(server ? [server] : [])]);
  return { code: r.code, out: r.stdout + r.stderr };
}

describe('cluster DNS on a real node', { skip, concurrency: 1 }, () => {
  let c: TestCluster;
  after(async () => {
    if (c) await c.kubectl(['delete', 'sts', '--all', '--timeout=30s']);
  });
  useAgentCluster((x) => (c = x));

  it('publishes the kube-dns Service at the 10th address of the Service range, its endpoint the node gateway', async () => {
    const dnsIP = c.serviceCIDR.replace(/0\/24$/, '10');
    const svc = JSON.parse(await c.k(['get', 'svc', 'kube-dns', '-n', 'kube-system', '-o', 'json']));
    assert.equal(svc.spec.clusterIP, dnsIP);
    assert.equal(svc.metadata.labels['k8s-app'], 'kube-dns');
    assert.equal(svc.metadata.labels['kubernetes.io/name'], 'CoreDNS');
    assert.deepEqual(
      svc.spec.ports.map((p: any) => [p.name, p.port, p.protocol]),
      [
        ['dns', 53, 'UDP'],
        ['dns-tcp', 53, 'TCP'],
      ],
    );
    const ep = await dnsEndpoint(c);
    const gateway = c.clusterCIDR.replace(/0\/24$/, '1');
    assert.equal(ep.split(':')[0], gateway);
    // the Service first appears with targetPort 53; the publisher then points it at the real listen port
    const targetPort = await waitFor(
      async () => {
        const r = await c.kubectl(['get', 'svc', 'kube-dns', '-n', 'kube-system', '-o', 'jsonpath={.spec.ports[0].targetPort}']);
        return r.code === 0 && r.stdout.trim() === ep.split(':')[1] && r.stdout.trim();
      },
      10_000,
      200,
    ).catch(() => svc.spec.ports[0].targetPort);
    assert.equal(String(targetPort), ep.split(':')[1]);
    const out = await c.k(['get', 'svc', '-n', 'kube-system']);
    assert.match(out, new RegExp(`^kube-dns\\s+ClusterIP\\s+${dnsIP.replace(/\./g, '\\.')}\\s+<none>\\s+53/UDP,53/TCP`, 'm'));
  });

  it("writes each pod's resolv.conf by its dnsPolicy", async () => {
    const dnsIP = c.serviceCIDR.replace(/0\/24$/, '10');
    await apply(c, sleeper('dns-cf'));
    await apply(c, sleeper('dns-default', '  dnsPolicy: Default\n'));
    await apply(
      c,
      sleeper(
        'dns-none',
        '  dnsPolicy: None\n  dnsConfig:\n    nameservers: [192.0.2.1]\n    searches: [my.dns.search.suffix]\n    options: [{name: ndots, value: "2"}, {name: edns0}]\n',
      ),
    );
    await apply(c, sleeper('dns-merged', '  dnsConfig:\n    searches: [extra.example]\n    options: [{name: ndots, value: "3"}]\n'));
    for (const p of ['dns-cf', 'dns-default', 'dns-none', 'dns-merged']) await waitPod(c, p, isRunningReady, 60_000);
    const resolv = async (p: string) => (await c.k(['exec', p, '--', 'cat', '/etc/resolv.conf'])).trim();
    const cf = await resolv('dns-cf');
    assert.match(cf, new RegExp(`^nameserver ${dnsIP.replace(/\./g, '\\.')}$`, 'm'));
    assert.match(cf, /^search default\.svc\.cluster\.local svc\.cluster\.local cluster\.local\b/m);
    assert.match(cf, /^options ndots:5$/m);
    assert.equal(cf.match(/^nameserver/gm)!.length, 1);
    const host = (await import('node:fs')).readFileSync('/etc/resolv.conf', 'utf8');
    const hostServers = [...host.matchAll(/^nameserver\s+(\S+)/gm)].map((m) => m[1]);
    assert.deepEqual(
      [...(await resolv('dns-default')).matchAll(/^nameserver\s+(\S+)/gm)].map((m) => m[1]),
      hostServers,
    );
    assert.equal(await resolv('dns-none'), 'search my.dns.search.suffix\nnameserver 192.0.2.1\noptions ndots:2 edns0');
    const merged = await resolv('dns-merged');
    assert.match(merged, /^search default\.svc\.cluster\.local svc\.cluster\.local cluster\.local .*extra\.example$/m);
    assert.match(merged, /^options ndots:3$/m);
    await c.k(['delete', 'pod', 'dns-default', 'dns-none', 'dns-merged', '--wait=false']);
  });

  it('busybox nslookup in a pod resolves Services, SRV and PTR records and NXDOMAIN through the kube-dns ClusterIP', async () => {
    const endpoint = await dnsEndpoint(c);
    const dnsIP = c.serviceCIDR.replace(/0\/24$/, '10');
    await c.k(['create', 'service', 'clusterip', 'myservice', '--tcp=80:8080']);
    const ip = (await c.k(['get', 'svc', 'myservice', '-o', 'jsonpath={.spec.clusterIP}'])).trim();
    const ns = 'default';
    const a = await waitFor(
      async () => {
        const r = await nslookup(c, 'dns-cf', [`myservice.${ns}.svc.cluster.local`]);
        return r.code === 0 && r.out;
      },
      20_000,
      300,
    );
    assert.match(a, new RegExp(`^Server:\\s+${dnsIP.replace(/\./g, '\\.')}`, 'm'));
    assert.match(a, new RegExp(`Address: ${ip.replace(/\./g, '\\.')}`));
    // the endpoint behind the ClusterIP answers the same
    assert.match((await nslookup(c, 'dns-cf', [`myservice.${ns}.svc.cluster.local`], endpoint)).out, new RegExp(`Address: ${ip.replace(/\./g, '\\.')}`));
    const srv = await nslookup(c, 'dns-cf', ['-type=srv', `_80-8080._tcp.myservice.${ns}.svc.cluster.local`]);
    assert.match(srv.out, new RegExp(`service = 0 100 80 myservice\\.${ns}\\.svc\\.cluster\\.local`));
    const ptr = await nslookup(c, 'dns-cf', [ip]);
    assert.match(ptr.out, new RegExp(`name = myservice\\.${ns}\\.svc\\.cluster\\.local`));
    const nx = await nslookup(c, 'dns-cf', [`nope.${ns}.svc.cluster.local`]);
    assert.notEqual(nx.code, 0);
    assert.match(nx.out, /NXDOMAIN/);
  });

  it('a headless Service answers with its ready pod IPs; a StatefulSet pod has <pod>.<service> of its own', async () => {
    await apply(
      c,
      `apiVersion: v1
kind: Service
metadata: {name: nginx}
spec:
  clusterIP: None
  selector: {app: web}
  ports: [{name: web, port: 80}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: web}
spec:
  serviceName: nginx
  replicas: 2
  podManagementPolicy: Parallel
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      terminationGracePeriodSeconds: 0
      containers:
      - {name: c, image: busybox:1.35, command: [sleep, "3600"], ports: [{name: web, containerPort: 80}]}
`,
    );
    const pods = await waitFor(
      async () => {
        const items = JSON.parse(await c.k(['get', 'pods', '-l', 'app=web', '-o', 'json'])).items;
        return items.length === 2 && items.every(isRunningReady) && items;
      },
      90_000,
      300,
    );
    const ips = pods.map((p: any) => p.status.podIP).sort();
    const all = await waitFor(
      async () => {
        const r = await nslookup(c, 'dns-cf', ['nginx.default.svc.cluster.local']);
        const got = [...r.out.matchAll(/Address: (10\.244\.\d+\.\d+)/g)].map((m) => m[1]).sort();
        return JSON.stringify(got) === JSON.stringify(ips) && got;
      },
      20_000,
      300,
    );
    assert.deepEqual(all, ips);
    const web0 = pods.find((p: any) => p.metadata.name === 'web-0');
    const r = await nslookup(c, 'dns-cf', ['web-0.nginx.default.svc.cluster.local']);
    assert.match(r.out, new RegExp(`Address: ${web0.status.podIP.replace(/\./g, '\\.')}`));
    // from inside the other StatefulSet pod too
    const peer = await c.kubectl(['exec', 'web-1', '--', 'nslookup', 'web-0.nginx.default.svc.cluster.local']);
    assert.match(peer.stdout, new RegExp(`Address: ${web0.status.podIP.replace(/\./g, '\\.')}`));
    const srv = await nslookup(c, 'dns-cf', ['-type=srv', '_web._tcp.nginx.default.svc.cluster.local']);
    assert.match(srv.out, /web-0\.nginx\.default\.svc\.cluster\.local/);
    assert.match(srv.out, /web-1\.nginx\.default\.svc\.cluster\.local/);
  });
});
