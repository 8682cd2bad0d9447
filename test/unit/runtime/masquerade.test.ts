// The pod masquerade table: pod traffic leaving the cluster's pod range is masqueraded, pod-to-pod traffic across
// nodes is not; one atomic nft transaction that also replaces an older copy of the table.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PodMasquerade } from '../../../src/runtime/masquerade.js';

test('masquerades only what leaves the cluster CIDR, in a k8ts table of its own', () => {
  const m = new PodMasquerade('10.244.5.64/26', 'k8ts5n2', '10.244.5.0/24');
  assert.equal(m.table, 'k8ts-masq-k8ts5n2');
  const rs = m.ruleset();
  assert.match(rs, /^table ip k8ts-masq-k8ts5n2\ndelete table ip k8ts-masq-k8ts5n2\ntable ip k8ts-masq-k8ts5n2 \{/);
  assert.match(rs, /type nat hook postrouting priority srcnat;/);
  assert.match(rs, /ip saddr 10\.244\.5\.64\/26 ip daddr != 10\.244\.5\.0\/24 ip daddr != 224\.0\.0\.0\/4 masquerade/);
});

test('without a cluster CIDR the node subnet is the whole pod network (a single node)', () => {
  assert.match(new PodMasquerade('10.244.7.0/24', 'k8ts0').ruleset(), /ip saddr 10\.244\.7\.0\/24 ip daddr != 10\.244\.7\.0\/24 /);
});
