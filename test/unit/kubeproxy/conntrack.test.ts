// Which conntrack entries a Service change leaves stale (upstream CleanStaleEntries' triggers) and the filters
// that clear them: UDP/SCTP only, always tied to a Service address or NodePort, plus the runner's handling of
// conntrack's "0 flow entries" exit and of a missing tool.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Conntrack, parseEntries, reconcileFilters, staleConntrackFilters } from '../../../src/kubeproxy/conntrack.js';
import type { L4Proto, ProxyEndpoint, ServicePortInfo } from '../../../src/kubeproxy/service_ports.js';
import { logger } from '../../../src/log/logger.js';

const ep = (ip: string, o: Partial<ProxyEndpoint> = {}): ProxyEndpoint => ({ ip, port: 5353, ready: true, serving: true, terminating: false, ...o });
function sp(endpoints: ProxyEndpoint[], o: Partial<ServicePortInfo> = {}): ServicePortInfo {
  return {
    namespace: 'default',
    name: 'dns',
    portName: 'dns',
    protocol: 'udp' as L4Proto,
    clusterIP: '10.96.0.10',
    port: 53,
    externalIPs: [],
    internalLocal: false,
    externalLocal: false,
    endpoints,
    ...o,
  };
}
const lines = (f: string[][]) => f.map((x) => x.join(' ')).sort();

describe('staleConntrackFilters', () => {
  it('clears flows DNATed to a removed endpoint, on the ClusterIP, external IPs and the NodePort', () => {
    const prev = [sp([ep('10.244.0.2'), ep('10.244.0.3')], { nodePort: 30053, externalIPs: ['192.0.2.9'] })];
    const next = [sp([ep('10.244.0.3')], { nodePort: 30053, externalIPs: ['192.0.2.9'] })];
    assert.deepEqual(lines(staleConntrackFilters(prev, next)), [
      '-p udp --orig-dst 10.96.0.10 --orig-port-dst 53 --dst-nat 10.244.0.2',
      '-p udp --orig-dst 192.0.2.9 --orig-port-dst 53 --dst-nat 10.244.0.2',
      '-p udp --orig-port-dst 30053 --dst-nat 10.244.0.2',
    ]);
  });

  it('treats an endpoint that stopped serving, or changed port, as removed; one never serving needs nothing', () => {
    const prev = [sp([ep('10.244.0.2'), ep('10.244.0.3'), ep('10.244.0.4', { ready: false, serving: false })])];
    const next = [sp([ep('10.244.0.2', { ready: false, serving: false }), ep('10.244.0.3', { port: 5354 })])];
    assert.deepEqual(lines(staleConntrackFilters(prev, next)), [
      '-p udp --orig-dst 10.96.0.10 --orig-port-dst 53 --dst-nat 10.244.0.2',
      '-p udp --orig-dst 10.96.0.10 --orig-port-dst 53 --dst-nat 10.244.0.3',
    ]);
  });

  it('clears flows to a port that goes from no ready endpoint to some (a cached reject), not when it already had one', () => {
    const empty = [sp([], { nodePort: 30053 })];
    const one = [sp([ep('10.244.0.2')], { nodePort: 30053 })];
    assert.deepEqual(lines(staleConntrackFilters(empty, one)), ['-p udp --orig-dst 10.96.0.10 --orig-port-dst 53', '-p udp --orig-port-dst 30053']);
    // a new Service arriving with endpoints counts too (upstream: nothing before it was ready)
    assert.equal(staleConntrackFilters([], one).length, 2);
    const two = [sp([ep('10.244.0.2'), ep('10.244.0.3')], { nodePort: 30053 })];
    assert.deepEqual(staleConntrackFilters(one, two), []);
    // only terminating endpoints left is not "active"
    assert.deepEqual(staleConntrackFilters(empty, [sp([ep('10.244.0.2', { ready: false, terminating: true })], { nodePort: 30053 })]), []);
  });

  it('clears flows to a deleted Service port or a changed ClusterIP', () => {
    const prev = [sp([ep('10.244.0.2')])];
    assert.deepEqual(lines(staleConntrackFilters(prev, [])), [
      '-p udp --orig-dst 10.96.0.10 --orig-port-dst 53',
      '-p udp --orig-dst 10.96.0.10 --orig-port-dst 53 --dst-nat 10.244.0.2',
    ]);
    assert.ok(
      lines(staleConntrackFilters(prev, [sp([ep('10.244.0.2')], { clusterIP: '10.96.0.11' })])).includes('-p udp --orig-dst 10.96.0.10 --orig-port-dst 53'),
    );
  });

  it('covers SCTP, leaves TCP alone, and repeats no filter', () => {
    const sctp = staleConntrackFilters([sp([ep('10.244.0.2')], { protocol: 'sctp' })], [sp([], { protocol: 'sctp' })]);
    assert.deepEqual(lines(sctp), ['-p sctp --orig-dst 10.96.0.10 --orig-port-dst 53 --dst-nat 10.244.0.2']);
    assert.deepEqual(staleConntrackFilters([sp([ep('10.244.0.2')], { protocol: 'tcp' })], []), []);
    const dup = staleConntrackFilters([sp([ep('10.244.0.2')], { externalIPs: ['10.96.0.10'] })], [sp([], { externalIPs: ['10.96.0.10'] })]);
    assert.equal(dup.length, new Set(lines(dup)).size);
  });
});

describe('reconcileFilters (the first sync after a start)', () => {
  const listing = [
    // to the ClusterIP, DNATed to a serving endpoint: kept
    'udp      17 29 src=10.244.0.9 dst=10.96.0.10 sport=40000 dport=53 src=10.244.0.2 dst=10.244.0.9 sport=5353 dport=40000 mark=0 use=1',
    // to the ClusterIP, DNATed to an endpoint gone while the proxy was down
    'udp      17 29 src=10.244.0.9 dst=10.96.0.10 sport=40001 dport=53 [UNREPLIED] src=10.244.0.7 dst=10.244.0.9 sport=5353 dport=40001 mark=0 use=1',
    // to the ClusterIP, never DNATed (sent while it had no rules)
    'udp      17 29 src=10.244.0.9 dst=10.96.0.10 sport=40002 dport=53 [UNREPLIED] src=10.96.0.10 dst=10.244.0.9 sport=53 dport=40002 mark=0 use=1',
    // to the NodePort on the node, DNATed to the gone endpoint; and one to port 30053 elsewhere, not DNATed: kept
    'udp      17 29 src=192.0.2.1 dst=192.0.2.5 sport=40003 dport=30053 [UNREPLIED] src=10.244.0.7 dst=192.0.2.1 sport=5353 dport=40003 mark=0 use=1',
    'udp      17 29 src=192.0.2.5 dst=198.51.100.7 sport=40004 dport=30053 [UNREPLIED] src=198.51.100.7 dst=192.0.2.5 sport=30053 dport=40004 mark=0 use=1',
    // another port of the same IP, and a TCP-looking line, are not ours
    'udp      17 29 src=10.244.0.9 dst=10.96.0.10 sport=40005 dport=54 [UNREPLIED] src=10.244.0.7 dst=10.244.0.9 sport=54 dport=40005 mark=0 use=1',
    'garbage',
  ].join('\n');

  it('parses original destination and reply source', () => {
    const e = parseEntries(listing);
    assert.equal(e.length, 6);
    assert.deepEqual(e[1], { proto: 'udp', origDst: '10.96.0.10', origDport: 53, replySrc: '10.244.0.7' });
  });

  it('clears flows to a Service port not DNATed to one of its serving endpoints, keeps the rest', () => {
    const ports = [sp([ep('10.244.0.2')], { nodePort: 30053 })];
    assert.deepEqual(lines(reconcileFilters(parseEntries(listing), ports)), [
      '-p udp --orig-dst 10.96.0.10 --orig-port-dst 53 --reply-src 10.244.0.7',
      '-p udp --orig-dst 10.96.0.10 --orig-port-dst 53 --reply-src 10.96.0.10',
      '-p udp --orig-port-dst 30053 --reply-src 10.244.0.7',
    ]);
    // a port without serving endpoints: nothing to move its flows to, nothing cleared (as upstream)
    assert.deepEqual(reconcileFilters(parseEntries(listing), [sp([ep('10.244.0.2', { ready: false, serving: false })], { nodePort: 30053 })]), []);
  });
});

describe('Conntrack runner', () => {
  it('counts deletions, takes "0 flow entries" as success, logs failures, and stops once when the tool is missing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'k8ts-ct-'));
    try {
      const fake = join(dir, 'conntrack');
      // a stand-in for conntrack: records its arguments, answers by the filter
      writeFileSync(
        fake,
        `#!/bin/sh\necho "$*" >> ${dir}/calls\ncase "$*" in\n*10.244.0.2*) echo "conntrack v1.4.7 (conntrack-tools): 2 flow entries have been deleted." >&2; exit 0;;\n*10.244.0.3*) echo "conntrack v1.4.7 (conntrack-tools): 0 flow entries have been deleted." >&2; exit 1;;\n*) echo "conntrack v1.4.7 (conntrack-tools): Operation failed: invalid parameters" >&2; exit 1;;\nesac\n`,
      );
      chmodSync(fake, 0o755);
      const warnings: string[] = [];
      const log = logger('conntrack-test');
      log.warn = ((_o: unknown, msg: string) => void warnings.push(msg)) as typeof log.warn;
      const ct = new Conntrack(log, fake);
      const n = await ct.deleteAll([
        ['-p', 'udp', '--dst-nat', '10.244.0.2'],
        ['-p', 'udp', '--dst-nat', '10.244.0.3'],
        ['-p', 'udp', '--dst-nat', '10.244.0.4'],
      ]);
      assert.equal(n, 2);
      assert.deepEqual(warnings, ['Clearing stale conntrack entries failed']);
      const missing = new Conntrack(log, join(dir, 'absent'));
      assert.equal(
        await missing.deleteAll([
          ['-p', 'udp'],
          ['-p', 'udp'],
        ]),
        0,
      );
      assert.equal(await missing.deleteAll([['-p', 'udp']]), 0);
      assert.equal(warnings.filter((w) => w.startsWith('conntrack not found')).length, 1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
