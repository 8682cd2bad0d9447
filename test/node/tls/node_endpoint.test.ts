// The node agent's HTTPS endpoint on a real pod: no client certificate → 401, a user of the client CA that may
// not use nodes/proxy → 403 with kubelet's text (naming the user the certificate proves), the API server's
// kubelet client certificate → served; kubectl logs/exec (1.33 and 1.27) through the API server. Bearer tokens
// (kubelet's webhook mode): a TokenReview names the user and a SubjectAccessReview of the node subresource the
// path maps to (stats, metrics, log, spec, else proxy) decides. The agent's own kubeconfig is its node identity.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestCluster } from '../../helpers/cluster.js';
import { readBody, waitFor } from '../../helpers/cluster.js';
import { loadKubeconfig } from '../../../src/client/kubeconfig.js';
import { apply, hostCanRunPods, isRunningReady, useAgentCluster, waitPod } from '../kubelet/helpers.js';

const skip = hostCanRunPods() ? false : 'needs root, runc, conmon, catatonit, CNI plugins and busybox-static';

describe('node endpoint over TLS', { skip, concurrency: 1 }, () => {
  let c: TestCluster;
  useAgentCluster((x) => (c = x));

  /** GET on the node's endpoint with these credentials (the node's serving certificate checked against the cluster CA). */
  async function nodeGet(
    path: string,
    creds: { cert?: Buffer | string; key?: Buffer | string },
    headers: Record<string, string> = {},
  ): Promise<{ status: number; text: string }> {
    const node = (await c.api('GET', '/api/v1/nodes')).body.items[0];
    const host = node.status.addresses.find((a: any) => a.type === 'InternalIP').address;
    const port = node.status.daemonEndpoints.kubeletEndpoint.Port;
    return new Promise((resolve, reject) => {
      const req = https.request({ host, port, path, ca: c.tls().ca, ...creds, headers, agent: false }, (res) =>
        readBody(res).then((b) => resolve({ status: res.statusCode ?? 0, text: b.toString('utf8') }), reject),
      );
      req.on('error', reject);
      req.end();
    });
  }

  it('authenticates and authorizes every request; the API server’s client certificate is served', async () => {
    await apply(
      c,
      `apiVersion: v1
kind: Pod
metadata: {name: tls-talk}
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: main
    image: busybox:1.35
    command: ["sh", "-c", "echo hello-over-tls; exec sleep 3600"]
`,
    );
    await waitPod(c, 'tls-talk', isRunningReady);
    const path = '/containerLogs/default/tls-talk/main';
    const anonymous = await nodeGet(path, {});
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.text, 'Unauthorized\n');

    const jane = loadKubeconfig(await c.userKubeconfig('jane', ['devs']));
    const denied = await nodeGet(path, { cert: jane.cert, key: jane.key });
    assert.equal(denied.status, 403);
    const node = (await c.api('GET', '/api/v1/nodes')).body.items[0].metadata.name;
    assert.equal(denied.text, 'Forbidden (user=jane, verb=get, resource=nodes, subresource(s)=[proxy])\n', `node ${node}`);

    const pki = join(c.dataDir, 'pki');
    const apiserver = { cert: readFileSync(join(pki, 'apiserver-kubelet-client.crt')), key: readFileSync(join(pki, 'apiserver-kubelet-client.key')) };
    const served = await nodeGet(path, apiserver);
    assert.equal(served.status, 200, served.text);
    assert.match(served.text, /hello-over-tls/);

    // through the API server: logs (TLS to the node) and exec (the in-process hop, same decision)
    assert.equal(await c.k(['logs', 'tls-talk']), 'hello-over-tls\n');
    assert.equal(await c.k(['exec', 'tls-talk', '--', 'echo', 'exec-ok']), 'exec-ok\n');
    assert.equal(await c.k(['exec', 'tls-talk', '--', 'echo', 'exec-127'], { minor: 27 }), 'exec-127\n');
  });

  it('serves bearer tokens that a TokenReview accepts, as a SubjectAccessReview of the mapped node subresource allows', async () => {
    const node = (await c.api('GET', '/api/v1/nodes')).body.items[0].metadata.name;
    const logs = '/containerLogs/default/tls-talk/main';
    const bearer = (t: string) => ({ Authorization: `Bearer ${t}` });
    // once RBAC has a binding: asking the node earlier would cache its denial for 30 s, as kubelet does
    const canI = (sa: string, subresource: string) =>
      waitFor(
        async () =>
          (await c.kubectl(['auth', 'can-i', 'get', 'nodes', '--subresource', subresource, '--as', `system:serviceaccount:default:${sa}`])).code === 0,
        10_000,
        200,
      );
    assert.deepEqual(await nodeGet(logs, {}, bearer('not-a-token')), { status: 401, text: 'Unauthorized\n' });

    await c.k(['create', 'serviceaccount', 'stats-reader']);
    const reader = (await c.k(['create', 'token', 'stats-reader'])).trim();
    const denied = await nodeGet(logs, {}, bearer(reader));
    assert.deepEqual(denied, {
      status: 403,
      text: 'Forbidden (user=system:serviceaccount:default:stats-reader, verb=get, resource=nodes, subresource(s)=[proxy])\n',
    });
    // nodes/stats only: the stats endpoint opens, container logs (nodes/proxy) and metrics stay shut
    await c.k(['create', 'clusterrole', 'node-stats', '--verb=get', '--resource=nodes/stats']);
    await c.k(['create', 'clusterrolebinding', 'node-stats', '--clusterrole=node-stats', '--serviceaccount=default:stats-reader']);
    await canI('stats-reader', 'stats');
    const stats = await nodeGet('/stats/summary', {}, bearer(reader));
    assert.equal(stats.status, 200, stats.text);
    assert.equal(JSON.parse(stats.text).node.nodeName, node);
    assert.equal((await nodeGet(logs, {}, bearer(reader))).status, 403);
    assert.deepEqual(await nodeGet('/metrics/resource', {}, bearer(reader)), {
      status: 403,
      text: 'Forbidden (user=system:serviceaccount:default:stats-reader, verb=get, resource=nodes, subresource(s)=[metrics])\n',
    });

    // upstream's system:kubelet-api-admin (nodes/proxy and the rest): container logs are served to the token
    await c.k(['create', 'serviceaccount', 'node-admin']);
    await c.k(['create', 'clusterrolebinding', 'node-admin', '--clusterrole=system:kubelet-api-admin', '--serviceaccount=default:node-admin']);
    const admin = (await c.k(['create', 'token', 'node-admin'])).trim();
    await canI('node-admin', 'proxy');
    const served = await nodeGet(logs, {}, bearer(admin));
    assert.equal(served.status, 200, served.text);
    assert.match(served.text, /hello-over-tls/);
  });

  it("the node agent's own kubeconfig is system:node:<name> in system:nodes, under the Node authorizer", async () => {
    const node = (await c.api('GET', '/api/v1/nodes')).body.items[0].metadata.name;
    const kubelet = join(c.dataDir, 'kubelet.kubeconfig');
    const who = JSON.parse((await c.kubectlAs(kubelet, ['auth', 'whoami', '-o', 'json'])).stdout).status.userInfo;
    assert.deepEqual(who, { username: `system:node:${node}`, groups: ['system:nodes', 'system:authenticated'] });
    const can = async (...args: string[]) => (await c.kubectlAs(kubelet, ['auth', 'can-i', ...args])).stdout.trim();
    assert.equal(await can('get', `nodes/${node}`), 'yes');
    assert.equal(await can('update', `leases.coordination.k8s.io/${node}`, '-n', 'kube-node-lease'), 'yes');
    assert.equal(
      await can('update', 'leases.coordination.k8s.io/someone-else', '-n', 'kube-node-lease'),
      'no - can only access node lease with the same name as the requesting node',
    );
    assert.equal(await can('get', 'secrets/unrelated', '-n', 'default'), `no - no relationship found between node '${node}' and this object`);
    assert.match(await can('create', 'clusterrolebindings'), /^no\b/);
  });
});
