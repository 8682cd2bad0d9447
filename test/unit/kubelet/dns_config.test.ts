// A pod's resolv.conf by dnsPolicy, as upstream's kubelet builds it (pkg/kubelet/network/dns): ClusterFirst,
// Default, None + dnsConfig, ClusterFirstWithHostNet, a hostNetwork pod's ClusterFirst falling back to Default,
// dnsConfig merged, limits applied.
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DNSConfigurer, parseResolvConf } from '../../../src/kubelet/network/dns.js';
import { renderResolvConf } from '../../../src/runtime/pod_files.js';
import type { Pod } from '../../../src/api/core/v1/types.js';

const dir = mkdtempSync(join(tmpdir(), 'k8ts-dnscfg-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));
const hostResolv = join(dir, 'resolv.conf');
writeFileSync(hostResolv, '# host\nnameserver 192.0.2.53\nnameserver 192.0.2.54\nsearch corp.example lab.example\noptions timeout:2 rotate\n');
const dns = new DNSConfigurer({ clusterDNS: ['10.96.0.10'], clusterDomain: 'cluster.local', resolvConf: hostResolv });

const pod = (spec: Partial<Pod['spec']> = {}): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { namespace: 'shop', name: 'p' },
  spec: { containers: [], dnsPolicy: 'ClusterFirst', ...spec },
});

test('ClusterFirst: the cluster DNS, the namespace search path then the host search domains, ndots:5', () => {
  assert.equal(
    renderResolvConf(dns.podDNS(pod())),
    'search shop.svc.cluster.local svc.cluster.local cluster.local corp.example lab.example\nnameserver 10.96.0.10\noptions ndots:5\n',
  );
  // ClusterFirstWithHostNet on a hostNetwork pod is ClusterFirst too
  assert.deepEqual(dns.podDNS(pod({ dnsPolicy: 'ClusterFirstWithHostNet', hostNetwork: true })).servers, ['10.96.0.10']);
});

test("Default, and a hostNetwork pod's ClusterFirst: the host's resolv.conf", () => {
  const host = { servers: ['192.0.2.53', '192.0.2.54'], searches: ['corp.example', 'lab.example'], options: ['timeout:2', 'rotate'] };
  assert.deepEqual(dns.podDNS(pod({ dnsPolicy: 'Default' })), host);
  assert.deepEqual(dns.podDNS(pod({ hostNetwork: true })), host);
  // a kubelet without cluster DNS gives ClusterFirst pods the host's settings (upstream's fallback)
  const noCluster = new DNSConfigurer({ clusterDNS: [], clusterDomain: 'cluster.local', resolvConf: hostResolv });
  assert.deepEqual(noCluster.podDNS(pod()), host);
});

test('None takes only dnsConfig; dnsConfig merges into the others (options by name)', () => {
  const cfg = { nameservers: ['1.1.1.1'], searches: ['my.dns.search.suffix'], options: [{ name: 'ndots', value: '2' }, { name: 'edns0' }] };
  assert.deepEqual(dns.podDNS(pod({ dnsPolicy: 'None', dnsConfig: cfg })), {
    servers: ['1.1.1.1'],
    searches: ['my.dns.search.suffix'],
    options: ['ndots:2', 'edns0'],
  });
  assert.deepEqual(dns.podDNS(pod({ dnsConfig: cfg })), {
    servers: ['10.96.0.10', '1.1.1.1'],
    searches: ['shop.svc.cluster.local', 'svc.cluster.local', 'cluster.local', 'corp.example', 'lab.example', 'my.dns.search.suffix'],
    options: ['ndots:2', 'edns0'],
  });
});

test('limits: 3 nameservers, 32 search domains, duplicates dropped', () => {
  const many = Array.from({ length: 40 }, (_, i) => `d${i}.example`);
  const c = dns.podDNS(pod({ dnsConfig: { nameservers: ['1.1.1.1', '8.8.8.8', '9.9.9.9'], searches: ['cluster.local', ...many] } }));
  assert.deepEqual(c.servers, ['10.96.0.10', '1.1.1.1', '8.8.8.8']);
  assert.equal(c.searches!.length, 32);
  assert.equal(c.searches!.filter((s) => s === 'cluster.local').length, 1);
});

test('parseResolvConf: comments, domain, the last search line', () => {
  assert.deepEqual(parseResolvConf('domain a.example\nsearch b.example c.example ; x\nnameserver 10.0.0.1 # local\noptions ndots:1\n'), {
    servers: ['10.0.0.1'],
    searches: ['b.example', 'c.example'],
    options: ['ndots:1'],
  });
});
