// Stale UDP conntrack entries on a real node: a client pod keeps sending datagrams to a UDP Service from one
// socket (busybox syslogd forwarding to the ClusterIP, so one source port throughout); its only backend is
// deleted and a new one becomes ready. Without the proxy's conntrack cleanup the kernel would keep DNATing the
// flow to the gone pod for as long as datagrams keep coming (each refreshes the entry); with it the next
// datagrams reach the new pod, seen in the pod's own UDP NoPorts counter (nothing listens there, so every
// datagram to the Service port is counted).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { TestCluster } from '../../helpers/cluster.js';
import { waitFor } from '../../helpers/cluster.js';
import { apply, hostCanRunPods, isRunningReady, useAgentCluster, waitPod } from '../kubelet/helpers.js';
import { hasConntrack, nftTable, udpClient, udpFlows, udpNoPorts, udpService, udpSink } from './helpers.js';

const skip = !hostCanRunPods()
  ? 'needs root, runc, conmon, catatonit, CNI plugins and busybox-static'
  : !hasConntrack
    ? 'needs conntrack (conntrack-tools)'
    : false;

describe('kube-proxy clears stale UDP conntrack entries', { skip, concurrency: 1 }, () => {
  let c: TestCluster;
  useAgentCluster((x) => (c = x));
  let ip = '';
  const PORT = 5353;

  const podIP = async (name: string) => (await c.k(['get', 'pod', name, '-o', 'jsonpath={.status.podIP}'])).trim();
  const readyEndpoints = async () => {
    const slices = JSON.parse(await c.k(['get', 'endpointslices', '-l', 'kubernetes.io/service-name=udp', '-o', 'json'])).items;
    return slices.flatMap((s: any) => (s.endpoints ?? []).filter((e: any) => e.conditions?.ready).map((e: any) => e.targetRef?.name)).sort();
  };

  it('sends a steady UDP flow from one client socket to a Service with one pod', async () => {
    await apply(c, udpService(PORT));
    ip = (await c.k(['get', 'svc', 'udp', '-o', 'jsonpath={.spec.clusterIP}'])).trim();
    await apply(c, udpSink('sink-a'));
    await waitPod(c, 'sink-a', isRunningReady, 60_000);
    await waitFor(async () => JSON.stringify(await readyEndpoints()) === '["sink-a"]', 30_000, 200);
    await waitFor(async () => nftTable(c.nftTable).includes(`${ip} . udp . ${PORT} : goto service-`), 15_000, 200);
    await apply(c, udpClient('client', ip, PORT));
    await waitPod(c, 'client', isRunningReady, 60_000);
    const a = await podIP('sink-a');
    await waitFor(async () => (await udpNoPorts(c, 'sink-a')) > 3, 20_000, 300);
    const f = udpFlows(ip, PORT);
    assert.equal(f.length, 1, `one flow: ${JSON.stringify(f)}`);
    assert.equal(f[0]![1], a, 'DNATed to sink-a');
  });

  it("moves the client's next datagrams to the new pod once the old one is gone", async () => {
    const before = udpFlows(ip, PORT);
    const sport = before[0]![0];
    const a = await podIP('sink-a');
    await c.k(['delete', 'pod', 'sink-a', '--wait=true']);
    await waitFor(async () => (await readyEndpoints()).length === 0, 30_000, 200);
    await apply(c, udpSink('sink-b'));
    await waitPod(c, 'sink-b', isRunningReady, 60_000);
    await waitFor(async () => JSON.stringify(await readyEndpoints()) === '["sink-b"]', 30_000, 200);
    const b = await podIP('sink-b');
    assert.notEqual(a, b);
    // well inside the 30 s UDP timeout, which the client's steady datagrams would refresh forever anyway
    await waitFor(async () => (await udpNoPorts(c, 'sink-b')) > 3, 10_000, 300);
    const after = udpFlows(ip, PORT);
    assert.deepEqual(after, [[sport, b]], `the same client socket, now DNATed to sink-b (was ${JSON.stringify(before)})`);
  });
});
