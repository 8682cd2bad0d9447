// The kube-proxy's ruleset generator and transactions, by structure (no golden files): which chains, sets and map
// elements a Service yields under each policy, and what a partial or full sync sends to nft (hairpin pairs
// counted across Services).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Service } from '../../../src/api/core/v1/service_types.js';
import type { EndpointSlice } from '../../../src/api/discovery/v1/types.js';
import { servicePorts, usable } from '../../../src/kubeproxy/service_ports.js';
import {
  baseRuleset,
  emptyFragment,
  renderService,
  NO_ENDPOINT_NODEPORTS,
  NO_ENDPOINT_SERVICES,
  SERVICE_IPS,
  SERVICE_NODEPORTS,
  HAIRPIN_SET,
  type Fragment,
} from '../../../src/kubeproxy/ruleset.js';
import { fullTransaction, hairpinRefs, hairpinTransaction, partialTransaction } from '../../../src/kubeproxy/transaction.js';
import { tableForBridge, validateTableName } from '../../../src/kubeproxy/nft.js';

const cfg = { nodeName: 'n1', clusterCIDR: '10.244.0.0/16', localhostNodePorts: false };

function svc(spec: Service['spec'], name = 'web'): Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { namespace: 'default', name },
    spec: { clusterIP: '10.96.0.20', ports: [{ name: 'http', port: 80 }], ...spec },
  };
}

type Ep = { ip: string; ready?: boolean; serving?: boolean; terminating?: boolean; node?: string };
function slice(eps: Ep[], name = 'web', port = 8080): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { namespace: 'default', name: `${name}-x`, labels: { 'kubernetes.io/service-name': name } },
    addressType: 'IPv4',
    ports: [{ name: 'http', port, protocol: 'TCP' }],
    endpoints: eps.map((e) => ({
      addresses: [e.ip],
      nodeName: e.node ?? 'n1',
      conditions: { ready: e.ready ?? true, serving: e.serving ?? e.ready ?? true, terminating: e.terminating ?? false },
    })),
  };
}

const render = (s: Service, slices: EndpointSlice[], c = cfg) => renderService(servicePorts(s, slices), c);
const chainsLike = (f: Fragment, prefix: string) => [...f.chains.keys()].filter((n) => n.startsWith(prefix));
const elements = (f: Fragment, map: string) => [...(f.elements.get(map) ?? new Map()).entries()];
/** Every DNAT target of the fragment's rules: `dnat to ip:port` and the `numgen` map's `ip . port` entries. */
const dnatTargets = (f: Fragment) =>
  [...f.chains.values()]
    .flat()
    .flatMap((r) => {
      const map = /dnat to numgen random mod \d+ map \{ (.*) \}$/.exec(r);
      if (map) return map[1]!.split(' , ').map((e) => e.replace(/^\d+ : (\S+) \. (\d+)$/, '$1:$2'));
      const one = /dnat to (\S+)/.exec(r)?.[1];
      return one ? [one] : [];
    })
    .sort();

describe('kube-proxy: service ports', () => {
  it('gives headless and ExternalName Services no ports, and merges slices one endpoint per IP', () => {
    assert.deepEqual(servicePorts(svc({ clusterIP: 'None' }), []), []);
    assert.deepEqual(servicePorts(svc({ type: 'ExternalName', externalName: 'example.com', clusterIP: undefined }), []), []);
    const [p] = servicePorts(svc({}), [slice([{ ip: '10.244.0.2' }, { ip: '10.244.0.3' }]), slice([{ ip: '10.244.0.3' }, { ip: '10.244.0.4' }])]);
    assert.deepEqual(
      p!.endpoints.map((e) => `${e.ip}:${e.port}`),
      ['10.244.0.2:8080', '10.244.0.3:8080', '10.244.0.4:8080'],
    );
  });

  it('uses serving terminating endpoints only when no ready one is left', () => {
    const [p] = servicePorts(svc({}), [slice([{ ip: '10.244.0.2' }, { ip: '10.244.0.3', ready: false, serving: true, terminating: true }])]);
    assert.deepEqual(
      usable(p!.endpoints).map((e) => e.ip),
      ['10.244.0.2'],
    );
    const [q] = servicePorts(svc({}), [
      slice([
        { ip: '10.244.0.2', ready: false, serving: false, terminating: true },
        { ip: '10.244.0.3', ready: false, serving: true, terminating: true },
      ]),
    ]);
    assert.deepEqual(
      usable(q!.endpoints).map((e) => e.ip),
      ['10.244.0.3'],
    );
  });
});

describe('kube-proxy: ruleset', () => {
  it('dispatches a ClusterIP evenly over its ready endpoints, masquerading off-cluster sources and hairpins', () => {
    const f = render(svc({}), [slice([{ ip: '10.244.0.2' }, { ip: '10.244.0.3' }, { ip: '10.244.0.4' }, { ip: '10.244.0.5', ready: false }])]);
    const [svcChain] = chainsLike(f, 'service-');
    assert.ok(svcChain);
    assert.deepEqual(elements(f, SERVICE_IPS), [['10.96.0.20 . tcp . 80', `goto ${svcChain}`]]);
    const rules = f.chains.get(svcChain)!;
    assert.equal(rules[0], 'ip daddr 10.96.0.20 tcp dport 80 ip saddr != 10.244.0.0/16 jump mark-for-masquerade');
    // without affinity the pick DNATs at once (no endpoint chains); hairpins are the postrouting set's
    assert.equal(rules.at(-1), 'meta l4proto tcp dnat to numgen random mod 3 map { 0 : 10.244.0.2 . 8080 , 1 : 10.244.0.3 . 8080 , 2 : 10.244.0.4 . 8080 }');
    assert.deepEqual(dnatTargets(f), ['10.244.0.2:8080', '10.244.0.3:8080', '10.244.0.4:8080']);
    assert.deepEqual(chainsLike(f, 'endpoint-'), []);
    assert.deepEqual([...f.hairpin].sort(), ['10.244.0.2', '10.244.0.3', '10.244.0.4']);
    const post = baseRuleset(cfg).chains.find((c) => c.name === 'nat-postrouting')!;
    assert.deepEqual(post.rules, [`ct status dnat ip saddr . ip daddr @${HAIRPIN_SET} jump mark-for-masquerade`, 'jump masquerading']);
    assert.equal(f.sets.size, 0);
  });

  it('rejects a Service with no endpoints and drops one whose Local policy leaves none on this node', () => {
    const none = render(svc({}), [slice([])]);
    assert.equal(none.chains.size, 0);
    assert.deepEqual(elements(none, NO_ENDPOINT_SERVICES), [['10.96.0.20 . tcp . 80', 'goto reject-chain']]);
    const remote = render(svc({ internalTrafficPolicy: 'Local' }), [slice([{ ip: '10.244.1.2', node: 'n2' }])]);
    assert.deepEqual(elements(remote, NO_ENDPOINT_SERVICES), [['10.96.0.20 . tcp . 80', 'drop']]);
    const local = render(svc({ internalTrafficPolicy: 'Local' }), [
      slice([
        { ip: '10.244.1.2', node: 'n2' },
        { ip: '10.244.0.9', node: 'n1' },
      ]),
    ]);
    assert.deepEqual(dnatTargets(local), ['10.244.0.9:8080']);
  });

  it('falls back to serving terminating endpoints', () => {
    const f = render(svc({}), [
      slice([
        { ip: '10.244.0.2', ready: false, serving: true, terminating: true },
        { ip: '10.244.0.3', ready: false },
      ]),
    ]);
    assert.deepEqual(dnatTargets(f), ['10.244.0.2:8080']);
  });

  it('keeps ClientIP affinity in one dynamic set per endpoint, checked before the random pick', () => {
    const f = render(svc({ sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } } }), [
      slice([{ ip: '10.244.0.2' }, { ip: '10.244.0.3' }]),
    ]);
    assert.equal(f.sets.size, 2);
    for (const decl of f.sets.values()) assert.equal(decl, 'type ipv4_addr ; flags dynamic,timeout ; timeout 60s ;');
    const rules = f.chains.get(chainsLike(f, 'service-')[0]!)!;
    assert.deepEqual(
      rules.slice(1, 3).map((r) => r.replace(/@\S+ goto \S+/, '@SET goto EP')),
      ['ip saddr @SET goto EP', 'ip saddr @SET goto EP'],
    );
    assert.match(rules[3]!, /^numgen random mod 2/);
    // with affinity, upstream's endpoint chains: hairpin masquerade, affinity update, DNAT
    assert.equal(chainsLike(f, 'endpoint-').length, 2);
    for (const ep of chainsLike(f, 'endpoint-')) {
      const [hairpin, update, dnat] = f.chains.get(ep)!;
      const ip = /dnat to ([\d.]+):/.exec(dnat!)![1];
      assert.equal(hairpin, `ip saddr ${ip} jump mark-for-masquerade`);
      assert.match(update!, /^update @affinity-\S+ \{ ip saddr \}$/);
    }
    assert.equal(f.hairpin.size, 0);
  });

  it('sends NodePorts through an external chain; Local keeps only this node’s endpoints for outside traffic', () => {
    const cluster = render(svc({ type: 'NodePort', ports: [{ name: 'http', port: 80, nodePort: 30080 }] }), [slice([{ ip: '10.244.0.2' }])]);
    const [ext] = chainsLike(cluster, 'external-');
    assert.deepEqual(elements(cluster, SERVICE_NODEPORTS), [['tcp . 30080', `goto ${ext}`]]);
    assert.equal(cluster.chains.get(ext!)![0], 'jump mark-for-masquerade');
    const local = render(svc({ type: 'NodePort', externalTrafficPolicy: 'Local', ports: [{ name: 'http', port: 80, nodePort: 30080 }] }), [
      slice([{ ip: '10.244.1.2', node: 'n2' }]),
    ]);
    const extRules = local.chains.get(chainsLike(local, 'external-')[0]!)!;
    assert.deepEqual(extRules.slice(0, 1), ['fib saddr type local jump mark-for-masquerade']);
    assert.equal(extRules.at(-1), 'drop');
    const empty = render(svc({ type: 'NodePort', ports: [{ name: 'http', port: 80, nodePort: 30080 }] }), [slice([])]);
    assert.deepEqual(elements(empty, NO_ENDPOINT_NODEPORTS), [['tcp . 30080', 'goto reject-chain']]);
  });

  it('answers NodePorts on 127.0.0.1 only from the host itself when asked', () => {
    const off = baseRuleset(cfg);
    assert.ok(off.chains.find((c) => c.name === 'services')!.rules[1]!.includes('ip daddr != 127.0.0.0/8'));
    const on = baseRuleset({ ...cfg, localhostNodePorts: true });
    assert.ok(on.chains.find((c) => c.name === 'nat-output')!.rules[0]!.startsWith('ip daddr 127.0.0.0/8'));
    assert.ok(!on.chains.find((c) => c.name === 'nat-prerouting')!.rules.some((r) => r.includes('127.0.0.0/8')));
    assert.ok(on.chains.find((c) => c.name === 'filter-input')!.rules[0]!.endsWith('ct state new drop'));
  });
});

describe('kube-proxy: transactions', () => {
  const table = 'k8ts-unit';
  it('sends nothing when a Service renders the same, and only its changes otherwise', () => {
    const a = render(svc({}), [slice([{ ip: '10.244.0.2' }, { ip: '10.244.0.3' }])]);
    assert.equal(partialTransaction(table, a, render(svc({}), [slice([{ ip: '10.244.0.2' }, { ip: '10.244.0.3' }])])), '');
    const b = render(svc({}), [slice([{ ip: '10.244.0.2' }])]);
    const lines = partialTransaction(table, a, b).trim().split('\n');
    const svcChain = chainsLike(a, 'service-')[0]!;
    assert.deepEqual(lines, [`flush chain ip ${table} ${svcChain}`, ...b.chains.get(svcChain)!.map((r) => `add rule ip ${table} ${svcChain} ${r}`)]);
    assert.ok(!lines.some((l) => l.includes('element')), 'the map entry still points at the same chain');
    // with affinity: the gone endpoint's chain goes after the rules referring to it
    const aff = { sessionAffinity: 'ClientIP' as const };
    const c = render(svc(aff), [slice([{ ip: '10.244.0.2' }, { ip: '10.244.0.3' }])]);
    const d = render(svc(aff), [slice([{ ip: '10.244.0.2' }])]);
    const affLines = partialTransaction(table, c, d).trim().split('\n');
    const gone = chainsLike(c, 'endpoint-').find((n) => n.includes('10.244.0.3'))!;
    assert.ok(affLines.indexOf(`flush chain ip ${table} ${svcChain}`) < affLines.indexOf(`delete chain ip ${table} ${gone}`), 'references go first');
    assert.ok(!affLines.some((l) => l.includes('10.244.0.2/8080') && !l.includes(svcChain)), 'the kept endpoint is untouched');
  });

  it('counts hairpin pairs across Services: a pair goes only when no Service DNATs that endpoint any more', () => {
    const web = render(svc({}), [slice([{ ip: '10.244.0.2' }, { ip: '10.244.0.3' }])]);
    const other = render(svc({ clusterIP: '10.96.0.21' }, 'other'), [slice([{ ip: '10.244.0.3' }], 'other')]);
    const refs = hairpinRefs([web, other]);
    assert.deepEqual([...refs].sort(), [
      ['10.244.0.2', 1],
      ['10.244.0.3', 2],
    ]);
    // web loses 10.244.0.3 (other still has it) and gains 10.244.0.4
    const web2 = render(svc({}), [slice([{ ip: '10.244.0.2' }, { ip: '10.244.0.4' }])]);
    assert.equal(hairpinTransaction(table, refs, [[web, web2]]), `add element ip ${table} ${HAIRPIN_SET} { 10.244.0.4 . 10.244.0.4 }\n`);
    assert.equal(hairpinTransaction(table, refs, [[other, emptyFragment()]]), `delete element ip ${table} ${HAIRPIN_SET} { 10.244.0.3 . 10.244.0.3 }\n`);
    assert.equal(hairpinTransaction(table, refs, [[web2, web2]]), '');
    const full = fullTransaction(table, baseRuleset(cfg), [web2], { chains: new Set(), sets: new Set() }).trim().split('\n');
    assert.ok(full.includes(`flush set ip ${table} ${HAIRPIN_SET}`));
    assert.ok(full.includes(`add element ip ${table} ${HAIRPIN_SET} { 10.244.0.2 . 10.244.0.2 , 10.244.0.4 . 10.244.0.4 }`));
  });

  it('removes a deleted Service: its map element before its chains', () => {
    const a = render(svc({}), [slice([{ ip: '10.244.0.2' }])]);
    const lines = partialTransaction(table, a, emptyFragment()).trim().split('\n');
    const del = lines.findIndex((l) => l.startsWith(`delete element ip ${table} ${SERVICE_IPS} { 10.96.0.20 . tcp . 80 }`));
    assert.ok(del >= 0);
    assert.equal(lines.filter((l) => l.startsWith('delete chain')).length, 1, 'the service chain (no endpoint chains)');
    assert.ok(lines.findIndex((l) => l.startsWith('delete chain')) > del);
  });

  it('full sync rewrites every chain in place, keeps existing affinity sets, and deletes stale objects', () => {
    const f = render(svc({ sessionAffinity: 'ClientIP' }), [slice([{ ip: '10.244.0.2' }])]);
    const [set] = f.sets.keys();
    const script = fullTransaction(table, baseRuleset(cfg), [f], { chains: new Set(['services', 'endpoint-OLD-x']), sets: new Set([set!, 'affinity-OLD-x']) });
    const lines = script.trim().split('\n');
    assert.equal(lines[0], `add table ip ${table} { comment "rules for the k8ts kube-proxy" ; }`);
    assert.ok(!lines.some((l) => l.startsWith('delete table') || l.startsWith('flush table')), 'the table itself is never dropped');
    assert.ok(!lines.some((l) => l.startsWith(`add set ip ${table} ${set}`)), 'an existing affinity set keeps its members');
    assert.ok(lines.includes(`delete chain ip ${table} endpoint-OLD-x`));
    assert.ok(lines.includes(`delete set ip ${table} affinity-OLD-x`));
    assert.ok(lines.indexOf(`flush chain ip ${table} endpoint-OLD-x`) < lines.indexOf(`delete chain ip ${table} endpoint-OLD-x`));
    for (const m of [SERVICE_IPS, SERVICE_NODEPORTS, NO_ENDPOINT_SERVICES, NO_ENDPOINT_NODEPORTS]) assert.ok(lines.includes(`flush map ip ${table} ${m}`));
  });

  it('names tables k8ts-*: one per non-default bridge', () => {
    assert.equal(tableForBridge('k8ts0'), 'k8ts-proxy');
    assert.equal(tableForBridge('k8ts-ab12cd'), 'k8ts-proxy-ab12cd');
    assert.equal(tableForBridge('cni0'), 'k8ts-proxy-cni0');
    assert.throws(() => validateTableName('kube-proxy'), /must start with "k8ts"/);
    assert.throws(() => validateTableName('k8ts;flush ruleset'), /must start with "k8ts"/);
  });
});
