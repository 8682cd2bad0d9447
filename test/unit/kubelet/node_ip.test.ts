// A joined node's default InternalIP (routeSourceAddress): the local address the kernel picks to reach the API
// server — loopback for a server on loopback, this machine's own address for a server on one of its interfaces,
// names resolved first, IPv6 in brackets as URLs write it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import os from 'node:os';
import { routeSourceAddress } from '../../../src/kubelet/nodestatus/host.js';

test('loopback servers are reached from loopback, by address or by name', async () => {
  assert.equal(await routeSourceAddress('127.0.0.1'), '127.0.0.1');
  assert.match(await routeSourceAddress('localhost'), /^(127\.0\.0\.1|::1)$/);
  assert.equal(await routeSourceAddress('[::1]'), '::1');
});

test("a server on one of this machine's interfaces is reached from that interface's address", async (t) => {
  const own = Object.values(os.networkInterfaces())
    .flat()
    .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
  if (!own) return t.skip('no non-loopback IPv4 address on this machine');
  assert.equal(await routeSourceAddress(own), own);
});

test('a name that does not resolve is an error (the agent then keeps --node-ip default)', async () => {
  await assert.rejects(routeSourceAddress('k8ts-no-such-host.invalid'));
});
