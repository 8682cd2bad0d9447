// Services through the real kubectl against a real `k8ts server`: the `kubernetes` Service, ClusterIP / NodePort /
// headless creation and `kubectl expose`, upstream's columns, the Endpoints and EndpointSlice controllers following
// pod readiness, a selectorless Service's Endpoints mirrored into a slice, allocations kept across a restart, and
// bad input refused with 422 and nothing stored.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TestCluster, waitFor } from '../helpers/cluster.js';

describe('services', () => {
  let c: TestCluster;
  before(async () => {
    c = await new TestCluster({ store: 'sqlite' }).start();
    // a node without an agent: pods bound to it get their status from the test
    await c.k(['apply', '-f', '-'], { input: 'apiVersion: v1\nkind: Node\nmetadata: {name: k8ts-fake-1}\n' });
  });
  after(async () => {
    await c.cleanup();
  });

  const pod = (name: string, labels: string) =>
    `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, labels: {${labels}}}\nspec:\n  nodeName: k8ts-fake-1\n  containers: [{name: c, image: busybox:1.35, ports: [{name: http, containerPort: 8080}]}]\n`;
  const setStatus = (name: string, ip: string, ready: boolean) =>
    c.k([
      'patch',
      'pod',
      name,
      '--subresource=status',
      '--type=merge',
      '-p',
      JSON.stringify({ status: { phase: 'Running', podIP: ip, podIPs: [{ ip }], conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] } }),
    ]);

  it('serves the kubernetes Service at the first IP of the range, port 443', async () => {
    const out = await c.k(['get', 'svc', 'kubernetes']);
    assert.match(out, /^NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE\n/);
    assert.match(out, /kubernetes\s+ClusterIP\s+10\.96\.0\.1\s+<none>\s+443\/TCP/);
    const ep = JSON.parse(await c.k(['get', 'endpoints', 'kubernetes', '-o', 'json']));
    assert.equal(ep.subsets[0].ports[0].name, 'https');
    assert.equal(String(ep.subsets[0].ports[0].port), new URL(c.server).port);
  });

  it('creates ClusterIP, NodePort and headless Services and exposes a pod, printed as upstream', async () => {
    await c.k(['create', 'service', 'clusterip', 'web', '--tcp=80:http']);
    await c.k(['create', 'service', 'nodeport', 'np', '--tcp=80:8080', '--node-port=30080']);
    await c.k(['create', 'service', 'clusterip', 'hl', '--clusterip=None']);
    await c.k(['apply', '-f', '-'], { input: pod('solo', 'run: solo') });
    await c.k(['expose', 'pod', 'solo', '--port=8000', '--target-port=8080', '--name=solo']);
    const wide = await c.k(['get', 'svc', '-o', 'wide']);
    assert.match(wide, /^NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE\s+SELECTOR\n/);
    assert.match(wide, /web\s+ClusterIP\s+10\.\d+\.\d+\.\d+\s+<none>\s+80\/TCP\s+\S+\s+app=web/);
    assert.match(wide, /np\s+NodePort\s+10\.\d+\.\d+\.\d+\s+<none>\s+80:30080\/TCP/);
    assert.match(wide, /hl\s+ClusterIP\s+None\s+<none>\s+<none>/);
    assert.match(wide, /solo\s+ClusterIP\s+10\.\d+\.\d+\.\d+\s+<none>\s+8000\/TCP\s+\S+\s+run=solo/);
    const ips = [...wide.matchAll(/ClusterIP\s+(10\.\d+\.\d+\.\d+)/g)].map((m) => m[1]);
    assert.equal(new Set(ips).size, ips.length, 'no IP handed out twice');
    // a ReplicaSet: its selector and its template's container port
    await c.k(['apply', '-f', '-'], {
      input: `apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: web-rs}
spec:
  replicas: 0
  selector: {matchLabels: {app: web-rs}}
  template:
    metadata: {labels: {app: web-rs}}
    spec: {containers: [{name: c, image: busybox:1.35, ports: [{containerPort: 9376}]}]}
`,
    });
    assert.match(await c.k(['expose', 'rs', 'web-rs']), /service\/web-rs exposed/);
    const rsSvc = JSON.parse(await c.k(['get', 'svc', 'web-rs', '-o', 'json']));
    assert.deepEqual(rsSvc.spec.selector, { app: 'web-rs' });
    assert.deepEqual(
      rsSvc.spec.ports.map((p: any) => [p.port, p.targetPort, p.protocol]),
      [[9376, 9376, 'TCP']],
    );
    // the 1.27 client reads the same table
    assert.match(await c.k(['get', 'svc', 'np'], { minor: 27 }), /np\s+NodePort\s+\S+\s+<none>\s+80:30080\/TCP/);
  });

  it('follows pod readiness in Endpoints and EndpointSlices, resolving the named target port', async () => {
    await c.k(['apply', '-f', '-'], { input: pod('web-a', 'app: web') + '---\n' + pod('web-b', 'app: web') });
    await setStatus('web-a', '10.244.9.2', true);
    await setStatus('web-b', '10.244.9.3', true);
    await waitFor(async () => /10\.244\.9\.2:8080,10\.244\.9\.3:8080/.test(await c.k(['get', 'ep', 'web'])) || undefined);
    const slices = await c.k(['get', 'endpointslices', '-l', 'kubernetes.io/service-name=web']);
    assert.match(slices, /^NAME\s+ADDRESSTYPE\s+PORTS\s+ENDPOINTS\s+AGE\n/);
    assert.match(slices, /web-\w+\s+IPv4\s+8080\s+10\.244\.9\.2,10\.244\.9\.3/);
    // 1.33 describes from the EndpointSlices, older clients from the Endpoints
    for (const minor of [undefined, 27, 33])
      assert.match(await c.k(['describe', 'svc', 'web'], { minor }), /Endpoints:\s+10\.244\.9\.2:8080,10\.244\.9\.3:8080/, `kubectl 1.${minor ?? 'PATH'}`);

    // one get of the three kinds: a table each, as upstream prints them
    const all = await c.k(['get', 'svc,ep,endpointslices', '-l', 'app=web']);
    assert.match(all, /^NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE\nservice\/web\s+ClusterIP\s+10\.\S+\s+<none>\s+80\/TCP\s+\S+\n/);
    assert.match(all, /\n\nNAME\s+ENDPOINTS\s+AGE\nendpoints\/web\s+10\.244\.9\.2:8080,10\.244\.9\.3:8080\s+\S+\n/);
    assert.match(
      all,
      /\n\nNAME\s+ADDRESSTYPE\s+PORTS\s+ENDPOINTS\s+AGE\nendpointslice\.discovery\.k8s\.io\/web-\w+\s+IPv4\s+8080\s+10\.244\.9\.2,10\.244\.9\.3\s+\S+\n/,
    );

    // v1 Endpoints is deprecated in 1.33 (the version served): every request on it carries upstream's warning
    const epGet = await c.kubectl(['get', 'ep', 'web']);
    assert.match(epGet.stderr, /^Warning: v1 Endpoints is deprecated in v1\.33\+; use discovery\.k8s\.io\/v1 EndpointSlice$/m);
    assert.doesNotMatch((await c.kubectl(['get', 'endpointslices', '-l', 'app=web'])).stderr + (await c.kubectl(['get', 'svc', 'web'])).stderr, /deprecated/);

    // b fails readiness: out of the ready addresses, its slice endpoint not ready (but serving=false too)
    await setStatus('web-b', '10.244.9.3', false);
    const ep = await waitFor(async () => {
      const e = JSON.parse(await c.k(['get', 'ep', 'web', '-o', 'json']));
      return e.subsets?.[0]?.notReadyAddresses?.length === 1 ? e : undefined;
    });
    assert.deepEqual(
      ep.subsets[0].addresses.map((a: { ip: string }) => a.ip),
      ['10.244.9.2'],
    );
    assert.equal(ep.subsets[0].notReadyAddresses[0].targetRef.name, 'web-b');
    const slice = JSON.parse(await c.k(['get', 'endpointslices', '-l', 'kubernetes.io/service-name=web', '-o', 'json'])).items[0];
    const b = slice.endpoints.find((e: { addresses: string[] }) => e.addresses[0] === '10.244.9.3');
    assert.deepEqual(b.conditions, { ready: false, serving: false, terminating: false });
    assert.equal(slice.metadata.labels['endpointslice.kubernetes.io/managed-by'], 'endpointslice-controller.k8s.io');
    assert.equal(slice.metadata.ownerReferences[0].kind, 'Service');

    // the Service gone: its Endpoints and slices go too
    await c.k(['delete', 'svc', 'web']);
    await waitFor(async () => (await c.kubectl(['get', 'ep', 'web'])).code !== 0 || undefined);
    await waitFor(async () => (await c.k(['get', 'endpointslices', '-l', 'kubernetes.io/service-name=web', '-o', 'name'])).trim() === '' || undefined);
  });

  it('refuses bad Services with 422 naming the field, and stores nothing', async () => {
    const refused = async (args: string[], input: string | undefined, re: RegExp, name: string) => {
      const r = await c.kubectl(args, input === undefined ? {} : { input });
      assert.notEqual(r.code, 0, `${name} was accepted`);
      assert.match(r.stderr, re);
      assert.notEqual((await c.kubectl(['get', 'svc', name])).code, 0, `${name} was stored`);
    };
    await refused(
      ['create', 'service', 'clusterip', 'out', '--clusterip=1.1.1.1', '--tcp=80'],
      undefined,
      /spec\.clusterIPs: Invalid value: \[\]string\{"1\.1\.1\.1"\}: failed to allocate IP 1\.1\.1\.1: the provided IP \(1\.1\.1\.1\) is not in the valid range\. The range of valid IPs is 10\.96\.0\.0\/12/,
      'out',
    );
    await refused(
      ['create', 'service', 'clusterip', 'taken', '--clusterip=10.96.0.1', '--tcp=80'],
      undefined,
      /failed to allocate IP 10\.96\.0\.1: provided IP is already allocated/,
      'taken',
    );
    await refused(
      ['create', 'service', 'nodeport', 'inuse', '--tcp=80:8080', '--node-port=30080'],
      undefined,
      /spec\.ports\[0\]\.nodePort: Invalid value: 30080: provided port is already allocated/,
      'inuse',
    );
    await refused(
      ['create', 'service', 'nodeport', 'range', '--tcp=80:8080', '--node-port=8080'],
      undefined,
      /provided port is not in the valid range\. The range of valid ports is 30000-32767/,
      'range',
    );
    const yaml = (name: string, body: string) => `apiVersion: v1\nkind: Service\nmetadata: {name: ${name}}\nspec:\n${body}`;
    await refused(
      ['apply', '-f', '-'],
      yaml('badsel', '  selector: {"bad key!": x}\n  ports: [{port: 80}]\n'),
      /spec\.selector: Invalid value: "bad key!"/,
      'badsel',
    );
    await refused(
      ['apply', '-f', '-'],
      yaml('dupname', '  ports: [{name: web, port: 80}, {name: web, port: 81}]\n'),
      /spec\.ports\[1\]\.name: Duplicate value: "web"/,
      'dupname',
    );
    await refused(['apply', '-f', '-'], yaml('noname', '  ports: [{port: 80}, {port: 81}]\n'), /spec\.ports\[0\]\.name: Required value/, 'noname');
    await refused(['apply', '-f', '-'], yaml('badtype', '  type: Magic\n  ports: [{port: 80}]\n'), /spec\.type: Unsupported value: "Magic"/, 'badtype');
    // single-stack IPv4: the families are defaulted, IPv6 and dual-stack refused
    const web = JSON.parse(await c.k(['get', 'svc', 'solo', '-o', 'json']));
    assert.deepEqual([web.spec.ipFamilies, web.spec.ipFamilyPolicy], [['IPv4'], 'SingleStack']);
    await refused(
      ['apply', '-f', '-'],
      yaml('v6', '  ipFamilies: [IPv6]\n  ports: [{port: 80}]\n'),
      /spec\.ipFamilies\[0\]: Invalid value: "IPv6": not configured on this cluster/,
      'v6',
    );
    await refused(
      ['apply', '-f', '-'],
      yaml('dual', '  ipFamilyPolicy: RequireDualStack\n  ports: [{port: 80}]\n'),
      /spec\.ipFamilyPolicy: Invalid value: "RequireDualStack": this cluster is not configured for dual-stack services/,
      'dual',
    );
  });

  it("mirrors a selectorless Service's Endpoints into an EndpointSlice, and follows them", async () => {
    await c.k(['apply', '-f', '-'], {
      input: `apiVersion: v1
kind: Service
metadata: {name: external-db}
spec:
  ports: [{name: pg, port: 5432, targetPort: 5432}]
---
apiVersion: v1
kind: Endpoints
metadata: {name: external-db, labels: {team: data}}
subsets:
- addresses: [{ip: 192.0.2.10}, {ip: 192.0.2.11}]
  notReadyAddresses: [{ip: 192.0.2.12}]
  ports: [{name: pg, port: 5432}]
`,
    });
    const mirrored = async () =>
      JSON.parse(await c.k(['get', 'endpointslices', '-l', 'endpointslice.kubernetes.io/managed-by=endpointslicemirroring-controller.k8s.io', '-o', 'json']))
        .items as any[];
    const [slice] = await waitFor(async () => {
      const items = await mirrored();
      return items.length === 1 && items[0].endpoints?.length === 3 ? items : undefined;
    });
    assert.equal(slice.metadata.labels['kubernetes.io/service-name'], 'external-db');
    assert.equal(slice.metadata.labels.team, 'data');
    assert.equal(slice.metadata.ownerReferences[0].kind, 'Endpoints');
    assert.equal(slice.addressType, 'IPv4');
    assert.deepEqual(slice.ports, [{ name: 'pg', port: 5432, protocol: 'TCP' }]);
    assert.deepEqual(
      slice.endpoints.map((e: any) => [e.addresses[0], e.conditions.ready]),
      [
        ['192.0.2.10', true],
        ['192.0.2.11', true],
        ['192.0.2.12', false],
      ],
    );
    assert.match(await c.k(['get', 'endpointslices', slice.metadata.name]), /external-db-\w+\s+IPv4\s+5432\s+192\.0\.2\.10,192\.0\.2\.11,192\.0\.2\.12/);
    // a Service with a selector (solo) and the API server's own `kubernetes` Endpoints are not mirrored
    assert.deepEqual(
      (await mirrored()).map((s) => s.metadata.labels['kubernetes.io/service-name']),
      ['external-db'],
    );
    await c.k(['patch', 'endpoints', 'external-db', '--type=json', '-p', '[{"op":"remove","path":"/subsets/0/addresses/1"}]']);
    await waitFor(async () => (await mirrored())[0]?.endpoints?.length === 2 || undefined);
    await c.k(['delete', 'endpoints', 'external-db']);
    await waitFor(async () => (await mirrored()).length === 0 || undefined);
    await c.k(['delete', 'svc', 'external-db']);
  });

  it('keeps ClusterIPs and node ports across a restart and never hands one out twice', async () => {
    const before = JSON.parse(await c.k(['get', 'svc', 'np', '-o', 'json']));
    await c.restart();
    const afterRestart = JSON.parse(await c.k(['get', 'svc', 'np', '-o', 'json']));
    assert.equal(afterRestart.spec.clusterIP, before.spec.clusterIP);
    assert.equal(afterRestart.spec.ports[0].nodePort, 30080);
    const again = await c.kubectl(['create', 'service', 'clusterip', 'again', `--clusterip=${before.spec.clusterIP}`, '--tcp=80']);
    assert.notEqual(again.code, 0);
    assert.match(again.stderr, /provided IP is already allocated/);
    // a replace without clusterIP keeps the allocated one
    delete afterRestart.spec.clusterIP;
    delete afterRestart.spec.clusterIPs;
    delete afterRestart.metadata.resourceVersion;
    afterRestart.spec.ports[0].nodePort = undefined;
    await c.k(['replace', '-f', '-'], { input: JSON.stringify(afterRestart) });
    const replaced = JSON.parse(await c.k(['get', 'svc', 'np', '-o', 'json']));
    assert.equal(replaced.spec.clusterIP, before.spec.clusterIP);
    assert.equal(replaced.spec.ports[0].nodePort, 30080);
  });
});
