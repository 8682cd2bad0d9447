// A real busybox pod uses its ServiceAccount: the kubelet fills the kube-api-access projected volume (a JWT bound
// to the pod from TokenRequest, the cluster CA from kube-root-ca.crt, the namespace) in the init container and
// the main container, sets the `kubernetes` Service variables, and a request from inside the pod with the
// mounted token gets 403 (upstream's message) for the bare `default` account and 200 once `view` is bound.
// The API server listens on all addresses and advertises the node bridge's gateway, the `kubernetes`
// Service's endpoint, which the pod reaches through the Service's ClusterIP (kube-proxy).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import type { TestCluster } from '../../helpers/cluster.js';
import { readBody, waitFor } from '../../helpers/cluster.js';
import { apply, hostCanRunPods, isRunningReady, useAgentCluster, waitPod } from '../kubelet/helpers.js';

const skip = hostCanRunPods() ? false : 'needs root, runc, conmon, catatonit, CNI plugins and busybox-static';
const SA_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';
const NS = 'sa-pod';
const ISSUER = 'https://kubernetes.default.svc.cluster.local';

describe('ServiceAccount token inside a real pod', { skip, concurrency: 1 }, () => {
  let c: TestCluster;
  let gateway = '';
  useAgentCluster((x) => (c = x), [], 'memory', { podReachableAPI: true });

  const exec = (container: string, script: string) => c.kubectl(['exec', 'caller', '-n', NS, '-c', container, '--', 'sh', '-c', script]);

  it('mounts the token, ca.crt and namespace, sets the kubernetes Service variables, and RBAC decides what the token may do', async () => {
    gateway = c.nodeGateway;
    const port = new URL(c.server).port;
    await c.k(['create', 'namespace', NS]);
    await apply(
      c,
      `apiVersion: v1
kind: Pod
metadata: {name: caller, namespace: ${NS}}
spec:
  terminationGracePeriodSeconds: 1
  initContainers:
  - name: init
    image: busybox:1.35
    command: ["sh", "-c", "cat ${SA_DIR}/namespace > /shared/ns-seen-by-init"]
    volumeMounts: [{name: shared, mountPath: /shared}]
  containers:
  - name: main
    image: busybox:1.35
    command: ["sleep", "3600"]
    volumeMounts: [{name: shared, mountPath: /shared}]
  volumes:
  - {name: shared, emptyDir: {}}
`,
    );
    const pod = await waitPod(c, 'caller', isRunningReady, 60_000, NS);
    assert.equal(pod.spec.serviceAccountName, 'default');

    // the three files, read-only
    assert.equal((await exec('main', 'cat /shared/ns-seen-by-init')).stdout, NS);
    assert.equal((await exec('main', `cat ${SA_DIR}/namespace`)).stdout, NS);
    assert.equal((await exec('main', `cat ${SA_DIR}/ca.crt`)).stdout, readFileSync(join(c.dataDir, 'pki', 'ca.crt'), 'utf8'));
    const ls = await exec('main', `ls -a ${SA_DIR}`);
    assert.deepEqual(
      ls.stdout.split('\n').filter(Boolean).sort(),
      ['.', '..', '..data', 'ca.crt', 'namespace', 'token'].concat(ls.stdout.match(/\.\.\d{4}_\S+/g) ?? []).sort(),
    );
    const ro = await exec('main', `touch ${SA_DIR}/x`);
    assert.notEqual(ro.code, 0);
    assert.match(ro.stderr, /Read-only file system/);

    // a JWT bound to this pod (and its node), for the API server's audience, issued for a year with warnafter
    const token = (await exec('main', `cat ${SA_DIR}/token`)).stdout;
    const claims = decodeJwt(token);
    const sa = JSON.parse(await c.k(['get', 'sa', 'default', '-n', NS, '-o', 'json']));
    const node = JSON.parse(await c.k(['get', 'node', pod.spec.nodeName, '-o', 'json']));
    assert.equal(claims.iss, ISSUER);
    assert.deepEqual(claims.aud, [ISSUER]);
    assert.equal(claims.sub, `system:serviceaccount:${NS}:default`);
    assert.equal(claims.exp! - claims.iat!, 365 * 24 * 3600);
    assert.deepEqual(claims['kubernetes.io'], {
      namespace: NS,
      pod: { name: 'caller', uid: pod.metadata.uid },
      serviceaccount: { name: 'default', uid: sa.metadata.uid },
      node: { name: node.metadata.name, uid: node.metadata.uid },
      warnafter: claims.iat! + 3607,
    });

    // the kubernetes Service's variables
    const svc = JSON.parse(await c.k(['get', 'service', 'kubernetes', '-n', 'default', '-o', 'json']));
    const env = Object.fromEntries(
      (await exec('main', 'env')).stdout
        .split('\n')
        .filter((l) => l.startsWith('KUBERNETES_'))
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    const ip = svc.spec.clusterIP;
    assert.deepEqual(env, {
      KUBERNETES_SERVICE_HOST: ip,
      KUBERNETES_SERVICE_PORT: '443',
      KUBERNETES_SERVICE_PORT_HTTPS: '443',
      KUBERNETES_PORT: `tcp://${ip}:443`,
      KUBERNETES_PORT_443_TCP: `tcp://${ip}:443`,
      KUBERNETES_PORT_443_TCP_PROTO: 'tcp',
      KUBERNETES_PORT_443_TCP_PORT: '443',
      KUBERNETES_PORT_443_TCP_ADDR: ip,
    });
    // its endpoint is where the pod reaches the API server
    const ep = JSON.parse(await c.k(['get', 'endpoints', 'kubernetes', '-n', 'default', '-o', 'json']));
    assert.deepEqual(ep.subsets[0].addresses, [{ ip: gateway }]);

    // from inside the pod with the mounted token: 403 for the bare default account
    const url = `https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT/api/v1/namespaces/${NS}/pods`;
    const call = `wget -q -S --no-check-certificate --header "Authorization: Bearer $(cat ${SA_DIR}/token)" -O - ${url}`;
    const denied = await exec('main', call);
    assert.notEqual(denied.code, 0);
    assert.match(denied.stderr, /HTTP\/1\.1 403 Forbidden/);
    // busybox wget does not print an error body: the same token from outside shows upstream's Status
    const body = await new Promise<{ status: number; json: any }>((resolve, reject) => {
      const req = https.request(
        { host: '127.0.0.1', port, path: `/api/v1/namespaces/${NS}/pods`, ca: c.tls().ca, headers: { Authorization: `Bearer ${token}` }, agent: false },
        (res) => readBody(res).then((b) => resolve({ status: res.statusCode ?? 0, json: JSON.parse(b.toString('utf8')) }), reject),
      );
      req.on('error', reject);
      req.end();
    });
    assert.equal(body.status, 403);
    assert.equal(
      body.json.message,
      `pods is forbidden: User "system:serviceaccount:${NS}:default" cannot list resource "pods" in API group "" in the namespace "${NS}"`,
    );

    // after a RoleBinding granting view in the namespace: 200 with the pod list
    await c.k(['create', 'rolebinding', 'default-view', '-n', NS, '--clusterrole', 'view', '--serviceaccount', `${NS}:default`]);
    const allowed = await waitFor(
      async () => {
        const r = await exec('main', call);
        return r.code === 0 ? r : undefined;
      },
      15_000,
      250,
    );
    assert.match(allowed.stderr, /HTTP\/1\.1 200 OK/);
    const list = JSON.parse(allowed.stdout);
    assert.equal(list.kind, 'PodList');
    assert.deepEqual(
      list.items.map((p: any) => p.metadata.name),
      ['caller'],
    );
    // still only in its namespace
    const elsewhere = await exec('main', call.replace(`/namespaces/${NS}/`, '/namespaces/default/'));
    assert.notEqual(elsewhere.code, 0);
    assert.match(elsewhere.stderr, /403 Forbidden/);
  });
});
