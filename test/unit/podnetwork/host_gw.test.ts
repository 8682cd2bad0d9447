// host-gw: which routes a node may get (gateway on a connected network, destination free), and the controller
// keeping an in-memory routing table in step with the nodes (add, move, delete, stale routes of a past run).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HOST_GW_PROTO, cidrContains, ineligible, type Route, type RouteSnapshot, type RouteTable } from '../../../src/podnetwork/route_table.js';
import { HostGatewayController, nodeRoute } from '../../../src/podnetwork/host_gw.js';
import { KubeClient } from '../../../src/client/rest.js';
import { SharedInformerFactory } from '../../../src/client/informer_factory.js';
import { logger } from '../../../src/log/logger.js';
import type { Node } from '../../../src/api/core/v1/types.js';

const connected: Route = { dst: '172.29.5.0/24', dev: 'eth0', protocol: 'kernel', scope: 'link' };
const snap = (routes: Route[]): RouteSnapshot => ({ routes: [connected, ...routes], localAddresses: new Set(['172.29.5.2']) });

test('cidrContains', () => {
  assert.ok(cidrContains('10.244.5.0/24', '10.244.5.64/26'));
  assert.ok(cidrContains('10.244.5.0/24', '10.244.5.7'));
  assert.ok(!cidrContains('10.244.5.0/24', '10.244.6.0/26'));
  assert.ok(!cidrContains('10.244.5.0/26', '10.244.5.0/24'));
  assert.ok(cidrContains('0.0.0.0/0', '1.2.3.4'));
});

test('a route is programmed only via a directly connected gateway that is not this machine, to a free destination', () => {
  assert.equal(ineligible(snap([]), '10.244.5.64/26', '172.29.5.3'), undefined);
  assert.match(ineligible(snap([]), '10.244.5.64/26', '192.0.2.9')!, /not on a directly connected network/);
  assert.match(ineligible(snap([]), '10.244.5.64/26', '172.29.5.2')!, /is this machine/);
  assert.match(ineligible(snap([]), '10.244.5.64/26', '127.0.0.1')!, /is this machine/);
  // a local pod bridge holds the range: never hijacked
  assert.match(
    ineligible(snap([{ dst: '10.244.5.64/26', dev: 'k8ts0', protocol: 'kernel', scope: 'link' }]), '10.244.5.64/26', '172.29.5.3')!,
    /already routed on k8ts0/,
  );
  // our own route to it may be replaced
  assert.equal(
    ineligible(snap([{ dst: '10.244.5.64/26', gateway: '172.29.5.4', protocol: String(HOST_GW_PROTO) }]), '10.244.5.64/26', '172.29.5.3'),
    undefined,
  );
});

test('nodeRoute: podCIDR via InternalIP, nothing without either', () => {
  const n = (podCIDR?: string, ip?: string): Node =>
    ({
      metadata: { name: 'n' },
      spec: { podCIDR },
      status: {
        addresses: ip
          ? [
              { type: 'Hostname', address: 'n' },
              { type: 'InternalIP', address: ip },
            ]
          : [],
      },
    }) as Node;
  assert.deepEqual(nodeRoute(n('10.244.5.64/26', '172.29.5.3')), { dst: '10.244.5.64/26', gateway: '172.29.5.3' });
  assert.equal(nodeRoute(n(undefined, '172.29.5.3')), undefined);
  assert.equal(nodeRoute(n('10.244.5.64/26')), undefined);
});

class MemoryTable implements RouteTable {
  routes: Route[] = [connected];
  async snapshot(): Promise<RouteSnapshot> {
    return { routes: this.routes.map((r) => ({ ...r })), localAddresses: new Set(['172.29.5.2']) };
  }
  async replace(dst: string, gateway: string): Promise<void> {
    this.routes = this.routes.filter((r) => r.dst !== dst);
    this.routes.push({ dst, gateway, dev: 'eth0', protocol: String(HOST_GW_PROTO) });
  }
  async remove(dst: string, gateway: string): Promise<void> {
    this.routes = this.routes.filter((r) => !(r.dst === dst && r.gateway === gateway));
  }
  ours(): string[] {
    return this.routes
      .filter((r) => r.protocol === String(HOST_GW_PROTO))
      .map((r) => `${r.dst} via ${r.gateway}`)
      .sort();
  }
}

/** A factory whose node informer is fed by hand (no API server). */
function fakeInformers(): { factory: SharedInformerFactory; set(nodes: Node[]): void } {
  const client = new KubeClient({ server: 'https://127.0.0.1:1' });
  const factory = new SharedInformerFactory(client);
  const informer = factory.nodes();
  let handlers: { onAdd?: (n: Node) => void; onUpdate?: (o: Node, n: Node) => void; onDelete?: (n: Node) => void }[] = [];
  const current = new Map<string, Node>();
  (informer as any).addEventHandler = (h: any) => {
    handlers.push(h);
    for (const n of current.values()) h.onAdd?.(n);
    return { remove: () => (handlers = handlers.filter((x) => x !== h)), waitForSync: async () => {}, hasSynced: () => true };
  };
  (informer as any).start = () => {};
  (informer as any).lister = { get: (name: string) => current.get(name), list: () => [...current.values()] };
  return {
    factory,
    set(nodes: Node[]) {
      const next = new Map(nodes.map((n) => [n.metadata.name!, n]));
      for (const [name, old] of current) if (!next.has(name)) for (const h of handlers) h.onDelete?.(old);
      for (const [name, n] of next) {
        const old = current.get(name);
        for (const h of handlers) {
          if (old) h.onUpdate?.(old, n);
          else h.onAdd?.(n);
        }
      }
      current.clear();
      for (const [k, v] of next) current.set(k, v);
    },
  };
}

const node = (name: string, cidr: string, ip: string): Node =>
  ({ metadata: { name }, spec: { podCIDR: cidr }, status: { addresses: [{ type: 'InternalIP', address: ip }] } }) as Node;

async function settle(table: MemoryTable, want: string[]): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (JSON.stringify(table.ours()) === JSON.stringify(want)) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  assert.deepEqual(table.ours(), want);
}

test('the controller routes every other node, follows moves and deletions, and sweeps stale routes of ours', async () => {
  const table = new MemoryTable();
  // left by an earlier run: a node that no longer exists (inside the cluster CIDR), and a route outside it (not ours to judge)
  table.routes.push({ dst: '10.244.5.192/26', gateway: '172.29.5.9', protocol: String(HOST_GW_PROTO) });
  table.routes.push({ dst: '10.250.0.0/24', gateway: '172.29.5.9', protocol: String(HOST_GW_PROTO) });
  const inf = fakeInformers();
  inf.set([node('node1', '10.244.5.0/26', '172.29.5.2'), node('node2', '10.244.5.64/26', '172.29.5.3'), node('node3', '10.244.5.128/26', '172.29.5.4')]);
  const c = new HostGatewayController({
    client: new KubeClient({ server: 'https://127.0.0.1:1' }),
    nodeName: 'node1',
    clusterCIDR: '10.244.5.0/24',
    factory: inf.factory,
    table,
    log: logger('test'),
  });
  c.start();
  try {
    await settle(table, ['10.244.5.128/26 via 172.29.5.4', '10.244.5.64/26 via 172.29.5.3', '10.250.0.0/24 via 172.29.5.9']);
    // node3 gets another address: the route follows; node2 is deleted: its route goes
    inf.set([node('node1', '10.244.5.0/26', '172.29.5.2'), node('node3', '10.244.5.128/26', '172.29.5.5')]);
    await settle(table, ['10.244.5.128/26 via 172.29.5.5', '10.250.0.0/24 via 172.29.5.9']);
    // a route removed behind our back comes back with the next look at the node
    await table.remove('10.244.5.128/26', '172.29.5.5');
    inf.set([
      node('node1', '10.244.5.0/26', '172.29.5.2'),
      { ...node('node3', '10.244.5.128/26', '172.29.5.5'), metadata: { name: 'node3', labels: { x: 'y' } } },
    ]);
    await settle(table, ['10.244.5.128/26 via 172.29.5.5', '10.250.0.0/24 via 172.29.5.9']);
  } finally {
    await c.stop();
  }
});
