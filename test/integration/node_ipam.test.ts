// NodeIpamController against an in-process API server: nodes without a podCIDR get distinct /24s inside
// the cluster CIDR, existing assignments are kept and skipped; plus the CIDR arithmetic.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openStorage } from '../../src/storage/index.js';
import { createApiServer, bootstrapSystemNamespaces } from '../../src/apiserver/assemble.js';
import { KubeClient } from '../../src/client/rest.js';
import type { Node } from '../../src/api/core/v1/types.js';
import { CIDRSet, NodeIpamController } from '../../src/controllers/node_ipam.js';

test('CIDRSet splits the cluster CIDR', () => {
  const s = new CIDRSet('10.244.0.0/16', 24);
  assert.equal(s.size, 256);
  assert.equal(s.subnet(0), '10.244.0.0/24');
  assert.equal(s.subnet(1), '10.244.1.0/24');
  assert.equal(s.subnet(255), '10.244.255.0/24');
  assert.equal(s.indexOf('10.244.7.0/24'), 7);
  assert.equal(s.indexOf('10.245.0.0/24'), undefined);
  assert.equal(s.indexOf('10.244.7.0/25'), undefined);
  assert.equal(s.firstFree(new Set([0, 1, 3])), 2);
  const small = new CIDRSet('10.244.5.0/24', 24);
  assert.equal(small.size, 1);
  assert.equal(small.subnet(0), '10.244.5.0/24');
  assert.equal(small.firstFree(new Set([0])), undefined);
  assert.equal(new CIDRSet('10.244.5.0/26', 24).subnet(0), '10.244.5.0/26');
  assert.equal(new CIDRSet('10.244.9.9/16', 24).subnet(2), '10.244.2.0/24');
  assert.throws(() => new CIDRSet('fd00::/64', 24));
});

test('nodes get distinct /24s inside 10.244.0.0/16', async () => {
  const api = createApiServer(openStorage('memory'));
  await bootstrapSystemNamespaces(api);
  const addr = await api.listen('127.0.0.1', 0);
  const client = new KubeClient({ server: `http://127.0.0.1:${addr.port}` });
  const ctl = new NodeIpamController(client, { clusterCIDR: '10.244.0.0/16', nodeMaskSize: 24 });
  try {
    // One node already holds the first subnet: it is kept and not handed out again.
    await client.create('/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'preset' }, spec: { podCIDR: '10.244.0.0/24' } });
    ctl.start();
    for (const name of ['node-a', 'node-b']) await client.create('/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name } });
    const got: Record<string, Node> = {};
    const end = Date.now() + 10_000;
    for (const name of ['node-a', 'node-b']) {
      for (;;) {
        const n = await client.get<Node>(`/api/v1/nodes/${name}`);
        if (n.spec?.podCIDR) {
          got[name] = n;
          break;
        }
        assert.ok(Date.now() < end, `${name} got no podCIDR`);
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    const a = got['node-a'].spec!;
    const b = got['node-b'].spec!;
    assert.notEqual(a.podCIDR, b.podCIDR);
    for (const s of [a, b]) {
      assert.match(s.podCIDR!, /^10\.244\.(\d{1,3})\.0\/24$/);
      assert.notEqual(s.podCIDR, '10.244.0.0/24');
      assert.deepEqual(s.podCIDRs, [s.podCIDR]);
    }
    const preset = await client.get<Node>('/api/v1/nodes/preset');
    assert.equal(preset.spec?.podCIDR, '10.244.0.0/24');
    // A status update by PUT keeps the assigned spec.
    const fresh = await client.get<Node>('/api/v1/nodes/node-a');
    await client.update('/api/v1/nodes/node-a/status', {
      ...fresh,
      status: { ...(fresh.status ?? {}), addresses: [{ type: 'InternalIP', address: '127.0.0.1' }] },
    });
    assert.equal((await client.get<Node>('/api/v1/nodes/node-a')).spec?.podCIDR, a.podCIDR);
  } finally {
    await ctl.stop();
    client.close();
    await api.close();
  }
});
