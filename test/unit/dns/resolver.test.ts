// The resolver against the DNS specification for Kubernetes and CoreDNS's kubernetes plugin: Service A/SRV/PTR,
// headless endpoints (hostname and dashed-IP labels, publishNotReadyAddresses), pod records, ExternalName,
// SOA/NS, NXDOMAIN vs NODATA, names for the forwarder.
import test from 'node:test';
import assert from 'node:assert/strict';
import type { Answer } from 'dns-packet';
import { ClusterRecords } from '../../../src/dns/records.js';
import { FORWARD, Resolver, type Resolution } from '../../../src/dns/resolver.js';
import type { Service } from '../../../src/api/core/v1/service_types.js';
import type { EndpointSlice } from '../../../src/api/discovery/v1/types.js';

const D = 'cluster.local';

function svc(ns: string, name: string, spec: Service['spec']): Service {
  return { apiVersion: 'v1', kind: 'Service', metadata: { namespace: ns, name }, spec };
}

function slice(ns: string, service: string, name: string, endpoints: EndpointSlice['endpoints'], ports: EndpointSlice['ports'] = []): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { namespace: ns, name, labels: { 'kubernetes.io/service-name': service } },
    addressType: 'IPv4',
    endpoints,
    ports,
  };
}

function setup(): { records: ClusterRecords; r: Resolver } {
  const records = new ClusterRecords();
  for (const ns of ['default', 'prod', 'kube-system']) records.upsertNamespace(ns);
  records.upsertService(
    svc('default', 'myservice', {
      type: 'ClusterIP',
      clusterIP: '10.96.0.20',
      clusterIPs: ['10.96.0.20'],
      ports: [
        { name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 },
        { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
      ],
    }),
  );
  records.upsertService(svc('default', 'nginx', { clusterIP: 'None', ports: [{ name: 'web', port: 80, protocol: 'TCP' }] }));
  records.upsertSlice(
    slice(
      'default',
      'nginx',
      'nginx-abc',
      [
        { addresses: ['10.244.0.5'], hostname: 'web-0', conditions: { ready: true } },
        { addresses: ['10.244.0.6'], conditions: { ready: true } },
        { addresses: ['10.244.0.7'], hostname: 'web-2', conditions: { ready: false } },
      ],
      [{ name: 'web', port: 8080, protocol: 'TCP' }],
    ),
  );
  records.upsertService(svc('default', 'empty', { clusterIP: 'None' }));
  records.upsertService(svc('default', 'ext', { type: 'ExternalName', externalName: 'example.com' }));
  records.upsertService(svc('default', 'inner', { type: 'ExternalName', externalName: 'myservice.default.svc.cluster.local' }));
  records.upsertPod({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { namespace: 'prod', name: 'lonely' },
    spec: { containers: [] },
    status: { podIP: '10.244.0.9' },
  });
  return { records, r: new Resolver(records, { domain: D, dnsIP: '10.96.0.10', ttl: 5, serial: 1 }) };
}

function answer(r: Resolver, name: string, type: string): Resolution {
  const res = r.resolve(name, type);
  assert.notEqual(res, FORWARD, `${name} ${type} must be answered here`);
  return res as Resolution;
}
const data = (as: Answer[]) => as.map((a) => ('data' in a ? a.data : undefined));
const isNodata = (res: Resolution) => res.rcode === 'NOERROR' && res.answers.length === 0 && res.authorities[0]?.type === 'SOA';
const isNxdomain = (res: Resolution) => res.rcode === 'NXDOMAIN' && res.answers.length === 0 && res.authorities[0]?.type === 'SOA';

test('a ClusterIP Service has an A record of its ClusterIP (any case, with or without the trailing dot)', () => {
  const { r } = setup();
  const res = answer(r, 'myservice.default.svc.cluster.local', 'A');
  assert.equal(res.rcode, 'NOERROR');
  assert.deepEqual(data(res.answers), ['10.96.0.20']);
  assert.equal(res.answers[0]!.name, 'myservice.default.svc.cluster.local');
  assert.equal((res.answers[0] as { ttl: number }).ttl, 5);
  const upper = answer(r, 'MyService.Default.SVC.cluster.local.', 'A');
  assert.deepEqual(data(upper.answers), ['10.96.0.20']);
  assert.equal(upper.answers[0]!.name, 'MyService.Default.SVC.cluster.local', 'the owner name echoes the question');
});

test('NODATA for a type the name has no record of; NXDOMAIN for a name that does not exist', () => {
  const { r } = setup();
  assert.ok(isNodata(answer(r, 'myservice.default.svc.cluster.local', 'AAAA')));
  assert.ok(isNodata(answer(r, 'myservice.default.svc.cluster.local', 'TXT')));
  assert.ok(isNodata(answer(r, 'myservice.default.svc.cluster.local', 'MX')));
  assert.ok(isNxdomain(answer(r, 'nope.default.svc.cluster.local', 'A')));
  assert.ok(isNxdomain(answer(r, 'myservice.nons.svc.cluster.local', 'A')));
  assert.ok(isNxdomain(answer(r, 'a.b.c.myservice.default.svc.cluster.local', 'A')));
  assert.ok(isNxdomain(answer(r, 'foo.cluster.local', 'A')));
  // empty non-terminals: the zone, svc, an existing namespace
  assert.ok(isNodata(answer(r, 'svc.cluster.local', 'A')));
  assert.ok(isNodata(answer(r, 'default.svc.cluster.local', 'A')));
  assert.ok(isNxdomain(answer(r, 'nons.svc.cluster.local', 'A')));
  assert.ok(isNodata(answer(r, 'cluster.local', 'A')));
  const soa = answer(r, 'nope.default.svc.cluster.local', 'A').authorities[0] as { name: string; data: { mname: string; rname: string; minimum: number } };
  assert.equal(soa.name, D);
  assert.equal(soa.data.mname, 'ns.dns.cluster.local');
  assert.equal(soa.data.rname, 'hostmaster.cluster.local');
});

test('SRV for named ports: _<port>._<proto>.<svc> (ClusterIP target the Service, its A record additional)', () => {
  const { r } = setup();
  const res = answer(r, '_http._tcp.myservice.default.svc.cluster.local', 'SRV');
  assert.deepEqual(data(res.answers), [{ priority: 0, weight: 100, port: 80, target: 'myservice.default.svc.cluster.local' }]);
  assert.deepEqual(
    res.additionals.map((a) => [a.name, 'data' in a ? a.data : undefined]),
    [['myservice.default.svc.cluster.local', '10.96.0.20']],
  );
  assert.deepEqual(data(answer(r, '_dns._udp.myservice.default.svc.cluster.local', 'SRV').answers), [
    { priority: 0, weight: 100, port: 53, target: 'myservice.default.svc.cluster.local' },
  ]);
  assert.ok(isNxdomain(answer(r, '_http._udp.myservice.default.svc.cluster.local', 'SRV')), 'http is TCP only');
  assert.ok(isNxdomain(answer(r, '_nope._tcp.myservice.default.svc.cluster.local', 'SRV')));
  assert.ok(isNodata(answer(r, '_tcp.myservice.default.svc.cluster.local', 'SRV')), '_tcp.<svc> is an empty non-terminal');
  assert.ok(isNodata(answer(r, '_http._tcp.myservice.default.svc.cluster.local', 'A')));
  // SRV of the Service's own name: one per port
  assert.equal(answer(r, 'myservice.default.svc.cluster.local', 'SRV').answers.length, 2);
});

test('headless Service: A records of its ready endpoints; endpoint names by hostname or dashed IP; SRV per endpoint', () => {
  const { r, records } = setup();
  assert.deepEqual(data(answer(r, 'nginx.default.svc.cluster.local', 'A').answers).sort(), ['10.244.0.5', '10.244.0.6']);
  assert.deepEqual(data(answer(r, 'web-0.nginx.default.svc.cluster.local', 'A').answers), ['10.244.0.5']);
  assert.deepEqual(data(answer(r, '10-244-0-6.nginx.default.svc.cluster.local', 'A').answers), ['10.244.0.6']);
  assert.ok(isNxdomain(answer(r, 'web-2.nginx.default.svc.cluster.local', 'A')), 'a not-ready endpoint is not published');
  const srv = answer(r, '_web._tcp.nginx.default.svc.cluster.local', 'SRV');
  assert.deepEqual(
    srv.answers.map((a) => (a as { data: { port: number; target: string; weight: number } }).data).sort((a, b) => a.target.localeCompare(b.target)),
    [
      { priority: 0, weight: 50, port: 8080, target: '10-244-0-6.nginx.default.svc.cluster.local' },
      { priority: 0, weight: 50, port: 8080, target: 'web-0.nginx.default.svc.cluster.local' },
    ],
  );
  assert.deepEqual(srv.additionals.map((a) => a.name).sort(), ['10-244-0-6.nginx.default.svc.cluster.local', 'web-0.nginx.default.svc.cluster.local']);
  // publishNotReadyAddresses publishes the not-ready one too
  records.upsertService(svc('default', 'nginx', { clusterIP: 'None', publishNotReadyAddresses: true, ports: [{ name: 'web', port: 80, protocol: 'TCP' }] }));
  assert.deepEqual(data(answer(r, 'web-2.nginx.default.svc.cluster.local', 'A').answers), ['10.244.0.7']);
  assert.equal(answer(r, 'nginx.default.svc.cluster.local', 'A').answers.length, 3);
  // a headless Service without endpoints has no records (CoreDNS: NXDOMAIN)
  assert.ok(isNxdomain(answer(r, 'empty.default.svc.cluster.local', 'A')));
});

test('endpoint changes show at once: a slice update, a slice delete', () => {
  const { r, records } = setup();
  const v = records.version;
  records.upsertSlice(slice('default', 'nginx', 'nginx-abc', [{ addresses: ['10.244.0.8'], hostname: 'web-0', conditions: { ready: true } }]));
  assert.ok(records.version > v);
  assert.deepEqual(data(answer(r, 'web-0.nginx.default.svc.cluster.local', 'A').answers), ['10.244.0.8']);
  records.deleteSlice(slice('default', 'nginx', 'nginx-abc', []));
  assert.ok(isNxdomain(answer(r, 'nginx.default.svc.cluster.local', 'A')));
  records.deleteService(svc('default', 'myservice', {}));
  assert.ok(isNxdomain(answer(r, 'myservice.default.svc.cluster.local', 'A')));
});

test('ExternalName is a CNAME (a target in the zone is followed; one outside is left to the server to chase)', () => {
  const { r } = setup();
  const ext = answer(r, 'ext.default.svc.cluster.local', 'A');
  assert.deepEqual(
    ext.answers.map((a) => [a.type, 'data' in a ? a.data : undefined]),
    [['CNAME', 'example.com']],
  );
  assert.equal(ext.chase, 'example.com');
  assert.deepEqual(data(answer(r, 'ext.default.svc.cluster.local', 'CNAME').answers), ['example.com']);
  const inner = answer(r, 'inner.default.svc.cluster.local', 'A');
  assert.deepEqual(
    inner.answers.map((a) => [a.type, 'data' in a ? a.data : undefined]),
    [
      ['CNAME', 'myservice.default.svc.cluster.local'],
      ['A', '10.96.0.20'],
    ],
  );
  assert.equal(inner.chase, undefined);
});

test('pod records <a-b-c-d>.<ns>.pod (pods insecure), PTR for Service, endpoint and pod IPs', () => {
  const { r } = setup();
  assert.deepEqual(data(answer(r, '10-244-0-5.default.pod.cluster.local', 'A').answers), ['10.244.0.5']);
  assert.ok(isNxdomain(answer(r, '10-244-0-500.default.pod.cluster.local', 'A')));
  assert.ok(isNodata(answer(r, '10-244-0-5.default.pod.cluster.local', 'AAAA')));
  assert.ok(isNodata(answer(r, 'default.pod.cluster.local', 'A')));
  assert.deepEqual(data(answer(r, '20.0.96.10.in-addr.arpa', 'PTR').answers), ['myservice.default.svc.cluster.local']);
  assert.deepEqual(data(answer(r, '5.0.244.10.in-addr.arpa.', 'PTR').answers), ['web-0.nginx.default.svc.cluster.local']);
  assert.deepEqual(data(answer(r, '6.0.244.10.in-addr.arpa', 'PTR').answers), ['10-244-0-6.nginx.default.svc.cluster.local']);
  assert.deepEqual(data(answer(r, '9.0.244.10.in-addr.arpa', 'PTR').answers), ['10-244-0-9.prod.pod.cluster.local']);
  assert.ok(isNodata(answer(r, '20.0.96.10.in-addr.arpa', 'A')));
  // IPs the cluster does not own, partial reverse names, other zones: the forwarder's
  assert.equal(r.resolve('4.4.8.8.in-addr.arpa', 'PTR'), FORWARD);
  assert.equal(r.resolve('10.in-addr.arpa', 'PTR'), FORWARD);
  assert.equal(r.resolve('example.com', 'A'), FORWARD);
  assert.equal(r.resolve('cluster.local.example.com', 'A'), FORWARD);
  assert.equal(r.resolve('xcluster.local', 'A'), FORWARD);
});

test('the zone apex: SOA, and NS ns.dns.<domain> with its address (the kube-dns ClusterIP)', () => {
  const { r } = setup();
  const soa = answer(r, 'cluster.local', 'SOA');
  assert.equal(soa.answers[0]!.type, 'SOA');
  const ns = answer(r, 'cluster.local', 'NS');
  assert.deepEqual(data(ns.answers), ['ns.dns.cluster.local']);
  assert.deepEqual(data(ns.additionals), ['10.96.0.10']);
  assert.deepEqual(data(answer(r, 'ns.dns.cluster.local', 'A').answers), ['10.96.0.10']);
});

test('a thousand Services stay cheap to look up', () => {
  const { r, records } = setup();
  for (let i = 0; i < 1000; i++)
    records.upsertService(svc('prod', `svc-${i}`, { clusterIP: `10.97.${i >> 8}.${i & 255}`, clusterIPs: [`10.97.${i >> 8}.${i & 255}`], ports: [] }));
  assert.equal(records.serviceCount(), 1005);
  assert.deepEqual(data(answer(r, 'svc-999.prod.svc.cluster.local', 'A').answers), ['10.97.3.231']);
  assert.deepEqual(data(answer(r, '231.3.97.10.in-addr.arpa', 'PTR').answers), ['svc-999.prod.svc.cluster.local']);
});
