// The seed's init-container example as written: myapp-pod's two init containers wait with busybox nslookup for
// myservice and mydb; kubectl get pods shows Init:0/2 until the first Service exists, Init:1/2 until the second,
// then Running.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { TestCluster } from '../../helpers/cluster.js';
import { waitFor } from '../../helpers/cluster.js';
import { apply, hostCanRunPods, useAgentCluster } from '../kubelet/helpers.js';

const skip = hostCanRunPods() ? false : 'needs root, runc, conmon, catatonit, CNI plugins and busybox-static';

const POD = `apiVersion: v1
kind: Pod
metadata:
  name: myapp-pod
  labels:
    app.kubernetes.io/name: MyApp
spec:
  containers:
  - name: myapp-container
    image: busybox:1.35
    command: ['sh', '-c', 'echo The app is running! && sleep 3600']
  initContainers:
  - name: init-myservice
    image: busybox:1.35
    command: ['sh', '-c', "until nslookup myservice.$(cat /var/run/secrets/kubernetes.io/serviceaccount/namespace).svc.cluster.local; do echo waiting for myservice; sleep 2; done"]
  - name: init-mydb
    image: busybox:1.35
    command: ['sh', '-c', "until nslookup mydb.$(cat /var/run/secrets/kubernetes.io/serviceaccount/namespace).svc.cluster.local; do echo waiting for mydb; sleep 2; done"]
`;
const svc = (name: string, port: number) => `apiVersion: v1
kind: Service
metadata: {name: ${name}}
spec:
  ports: [{protocol: TCP, port: 80, targetPort: ${port}}]
`;

async function status(c: TestCluster): Promise<string> {
  const out = await c.k(['get', 'pod', 'myapp-pod', '--no-headers']);
  return out.trim().split(/\s+/)[2] ?? '';
}

describe("the seed's init-container pod", { skip, concurrency: 1 }, () => {
  let c: TestCluster;
  useAgentCluster((x) => (c = x));

  it('stays Init:0/2 until myservice exists, Init:1/2 until mydb exists, then Running', async () => {
    await apply(c, POD);
    await waitFor(async () => (await status(c)) === 'Init:0/2', 60_000, 300);
    await new Promise((r) => setTimeout(r, 5000));
    assert.equal(await status(c), 'Init:0/2', 'no Service yet: the first init container keeps waiting');
    await apply(c, svc('myservice', 9376));
    await waitFor(async () => (await status(c)) === 'Init:1/2', 60_000, 300);
    await new Promise((r) => setTimeout(r, 5000));
    assert.equal(await status(c), 'Init:1/2');
    await apply(c, svc('mydb', 9377));
    await waitFor(async () => (await status(c)) === 'Running', 60_000, 300);
    const logs = await c.k(['logs', 'myapp-pod', '-c', 'init-myservice']);
    assert.match(logs, /waiting for myservice/);
  });
});
