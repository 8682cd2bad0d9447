// The API server's proxy subresources on real containers with the real kubectl: pods/proxy (numbered, named
// and default ports, HTML links rewritten under the proxy path, the trailing-slash redirect), services/proxy
// (by port name and number, the seed's `scheme:name:port` form, no endpoints, malformed ids), nodes/proxy to
// the node agent, WebSocket-style upgrades relayed through pods/proxy, RBAC on pods/proxy, and `kubectl proxy`
// serving it all on a local port.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import https from 'node:https';
import type { Duplex } from 'node:stream';
import { kubectlBinary, waitFor, type TestCluster } from '../../helpers/cluster.js';
import { apply, hostCanRunPods, isRunningReady, useAgentCluster, waitPod } from '../kubelet/helpers.js';

const skip = hostCanRunPods() ? false : 'needs root, runc, conmon, catatonit, CNI plugins and busybox-static';

// httpd serves /www; nc on 9000 answers any request with a 101 and then echoes what follows.
const WEB = `
apiVersion: v1
kind: Pod
metadata: {name: web, labels: {app: web}}
spec:
  containers:
  - name: httpd
    image: busybox:1.35
    command: ["sh", "-c", "mkdir -p /www/sub && echo hello-from-web > /www/hello.txt && echo '<html><a href=\\"/sub/x.txt\\">x</a> <img src=\\"rel.png\\"></html>' > /www/index.html && exec httpd -f -p 8080 -h /www"]
    ports: [{name: http, containerPort: 8080}]
    readinessProbe: {tcpSocket: {port: 8080}, periodSeconds: 1}
  - name: upgrader
    image: busybox:1.35
    command: ["sh", "-c", "printf 'HTTP/1.1 101 Switching Protocols\\\\r\\\\nUpgrade: echo\\\\r\\\\nConnection: Upgrade\\\\r\\\\n\\\\r\\\\n' > /tmp/101; exec nc -ll -p 9000 -e sh -c 'cat /tmp/101; exec cat'"]
    ports: [{name: echo, containerPort: 9000}]
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: http}]
---
apiVersion: v1
kind: Service
metadata: {name: empty}
spec:
  selector: {app: nobody}
  ports: [{port: 80}]
`;

const PODS = '/api/v1/namespaces/default/pods';
const SVCS = '/api/v1/namespaces/default/services';

describe('API server proxy subresources', { skip, timeout: 240_000 }, () => {
  let c: TestCluster;
  let nodeName = '';
  useAgentCluster((x) => (c = x));

  before(async () => {
    await apply(c, WEB);
    await waitPod(c, 'web', isRunningReady, 60_000);
    // the Endpoints controller has put the ready pod behind the Service
    await waitFor(async () => (await c.api('GET', '/api/v1/namespaces/default/endpoints/web')).body?.subsets?.[0]?.addresses?.length === 1, 20_000);
    nodeName = (await c.api('GET', '/api/v1/nodes')).body.items[0].metadata.name;
  });

  it('pods/proxy reaches the pod on a numbered, named or default port and rewrites absolute links', async () => {
    assert.equal((await c.k(['get', '--raw', `${PODS}/web:8080/proxy/hello.txt`])).trim(), 'hello-from-web');
    assert.equal((await c.k(['get', '--raw', `${PODS}/web:http/proxy/hello.txt`])).trim(), 'hello-from-web');
    // no port: the first declared container port
    const index = await c.k(['get', '--raw', `${PODS}/web/proxy/`]);
    assert.match(index, new RegExp(`href="${PODS}/web/proxy/sub/x.txt"`));
    assert.match(index, /src="rel.png"/, 'relative links stay relative');
    const missing = await c.kubectl(['get', '--raw', `${PODS}/web:8080/proxy/nope.txt`]);
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /NotFound|not found/i);
  });

  it('a GET of .../proxy without the trailing slash is redirected to .../proxy/', async () => {
    const r = await c.api('GET', `${PODS}/web:8080/proxy?x=1`);
    assert.equal(r.status, 301);
    assert.equal(r.headers.get('location'), `${PODS}/web:8080/proxy/?x=1`);
  });

  it('services/proxy picks a ready endpoint by port name or number, with the scheme:name:port form', async () => {
    assert.equal((await c.k(['get', '--raw', `${SVCS}/web:http/proxy/hello.txt`])).trim(), 'hello-from-web');
    assert.equal((await c.k(['get', '--raw', `${SVCS}/web:80/proxy/hello.txt`])).trim(), 'hello-from-web');
    assert.equal((await c.k(['get', '--raw', `${SVCS}/http:web:http/proxy/hello.txt`])).trim(), 'hello-from-web');
  });

  it('services/proxy without endpoints, with an unknown port or a malformed id answers as upstream', async () => {
    const none = await c.api('GET', `${SVCS}/empty/proxy/`);
    assert.equal(none.status, 503);
    assert.equal(none.body.message, 'no endpoints available for service "empty"');
    const port = await c.api('GET', `${SVCS}/web:81/proxy/`);
    assert.equal(port.status, 503);
    assert.equal(port.body.message, 'no service port 81 found for service "web"');
    const bad = await c.api('GET', `${SVCS}/ftp:web:80/proxy/`);
    assert.equal(bad.status, 400);
    assert.equal(bad.body.message, 'invalid service request "ftp:web:80"');
    const gone = await c.api('GET', `${SVCS}/nosuch/proxy/`);
    assert.equal(gone.status, 404);
    assert.equal(gone.body.message, 'services "nosuch" not found');
  });

  it('nodes/proxy reaches the node agent with the API server credentials', async () => {
    assert.equal((await c.k(['get', '--raw', `/api/v1/nodes/${nodeName}/proxy/healthz`])).trim(), 'ok');
    const summary = JSON.parse(await c.k(['get', '--raw', `/api/v1/nodes/${nodeName}/proxy/stats/summary`]));
    assert.equal(summary.node.nodeName, nodeName);
    assert.ok(summary.pods.some((p: any) => p.podRef.name === 'web'));
  });

  it('upgrade requests are relayed through pods/proxy and bytes flow both ways', async () => {
    const { ca, cert, key } = c.tls();
    const u = new URL(c.server);
    const sock = await new Promise<Duplex>((resolve, reject) => {
      const req = https.request({
        host: u.hostname,
        port: u.port,
        path: `${PODS}/web:9000/proxy/stream`,
        ca,
        cert,
        key,
        agent: false,
        headers: { Connection: 'Upgrade', Upgrade: 'echo' },
      });
      req.on('upgrade', (res, s) => (res.statusCode === 101 ? resolve(s) : reject(new Error(`status ${res.statusCode}`))));
      req.on('response', (res) => reject(new Error(`no upgrade: ${res.statusCode}`)));
      req.on('error', reject);
      req.end();
    });
    let got = '';
    sock.on('data', (d: Buffer) => (got += d.toString()));
    sock.write('ping-through-proxy\n');
    await waitFor(async () => got.includes('ping-through-proxy'), 10_000, 50);
    sock.destroy();
  });

  it('RBAC decides pods/proxy: forbidden until a Role grants it', async () => {
    const jane = await c.userKubeconfig('jane');
    const denied = await c.kubectlAs(jane, ['get', '--raw', `${PODS}/web:8080/proxy/hello.txt`]);
    assert.notEqual(denied.code, 0);
    assert.match(denied.stderr, /pods "web:8080" is forbidden: User "jane" cannot get resource "pods\/proxy" in API group "" in the namespace "default"/);
    await c.k(['create', 'role', 'proxier', '--verb=get', '--resource=pods/proxy']);
    await c.k(['create', 'rolebinding', 'jane-proxier', '--role=proxier', '--user=jane']);
    await waitFor(async () => (await c.kubectlAs(jane, ['get', '--raw', `${PODS}/web:8080/proxy/hello.txt`])).stdout.trim() === 'hello-from-web', 10_000);
  });

  /** kubectl port-forward in the background until it prints its local port; returns it and the process. */
  async function portForward(target: string, remote: string, minor?: number): Promise<{ port: number; proc: ChildProcess }> {
    const proc = spawn(kubectlBinary(minor), ['--kubeconfig', c.kubeconfig, 'port-forward', target, `0:${remote}`], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    const m = await waitFor(async () => /Forwarding from 127\.0\.0\.1:(\d+)/.exec(out) ?? undefined, 20_000).catch(() => {
      proc.kill('SIGKILL');
      throw new Error(`port-forward ${target} printed: ${out}`);
    });
    return { port: Number(m[1]), proc };
  }
  const fetchText = (url: string) =>
    new Promise<string>((resolve, reject) => {
      http
        .get(url, (res) => {
          let body = '';
          res.on('data', (d: Buffer) => (body += d.toString()));
          res.on('end', () => resolve(body));
        })
        .on('error', reject);
    });

  for (const minor of [undefined, 27]) {
    it(`kubectl ${minor ? `1.${minor}` : '1.33'} port-forward svc/NAME goes to a ready pod behind the Service, on its target port`, async () => {
      const { port, proc } = await portForward('svc/web', '80', minor);
      try {
        assert.equal((await fetchText(`http://127.0.0.1:${port}/hello.txt`)).trim(), 'hello-from-web');
      } finally {
        proc.kill('SIGTERM');
      }
    });
  }

  it('kubectl expose deployment, describe svc (Endpoints) and port-forward deploy/NAME', async () => {
    await c.k([
      'create',
      'deployment',
      'webd',
      '--image=busybox:1.35',
      '--port=8080',
      '--',
      'sh',
      '-c',
      'echo from-deploy > /tmp/i.txt && exec httpd -f -p 8080 -h /tmp',
    ]);
    await c.k(['rollout', 'status', 'deploy/webd', '--timeout=60s']);
    assert.match(await c.k(['expose', 'deployment', 'webd', '--port=80', '--target-port=8080']), /service\/webd exposed/);
    const svc = JSON.parse(await c.k(['get', 'svc', 'webd', '-o', 'json']));
    assert.deepEqual(svc.spec.selector, { app: 'webd' });
    assert.equal(svc.spec.ports[0].targetPort, 8080);
    const podIP = JSON.parse(await c.k(['get', 'pods', '-l', 'app=webd', '-o', 'json'])).items[0].status.podIP;
    await waitFor(async () => new RegExp(`Endpoints:\\s+${podIP.replace(/\./g, '\\.')}:8080`).test(await c.k(['describe', 'svc', 'webd'])), 20_000);
    assert.match(await c.k(['get', 'endpoints', 'webd']), new RegExp(`webd\\s+${podIP.replace(/\./g, '\\.')}:8080`));
    assert.equal((await c.k(['get', '--raw', `${SVCS}/webd:80/proxy/i.txt`])).trim(), 'from-deploy');
    const { port, proc } = await portForward('deploy/webd', '8080');
    try {
      assert.equal((await fetchText(`http://127.0.0.1:${port}/i.txt`)).trim(), 'from-deploy');
    } finally {
      proc.kill('SIGTERM');
      // its ReplicaSet would bring the pods back while the agent cleanup deletes them
      await c.k(['delete', 'deployment', 'webd', '--cascade=foreground', '--wait=true']);
    }
  });

  describe('kubectl proxy', () => {
    let proxy: ChildProcess | undefined;
    let base = '';
    before(async () => {
      proxy = spawn(kubectlBinary(), ['--kubeconfig', c.kubeconfig, 'proxy', '--port=0'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      proxy.stdout!.on('data', (d: Buffer) => (out += d.toString()));
      const m = await waitFor(async () => /Starting to serve on (127\.0\.0\.1:\d+)/.exec(out) ?? undefined, 20_000);
      base = `http://${m[1]}`;
    });
    after(() => {
      proxy?.kill('SIGTERM');
    });

    const get = (path: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        http
          .get(base + path, (res) => {
            let body = '';
            res.on('data', (d: Buffer) => (body += d.toString()));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
          })
          .on('error', reject);
      });

    it('serves a Service and a pod through the proxy subresources on 127.0.0.1', async () => {
      const svc = await get(`${SVCS}/http:web:http/proxy/hello.txt`);
      assert.equal(svc.status, 200);
      assert.equal(svc.body.trim(), 'hello-from-web');
      const pod = await get(`${PODS}/web:8080/proxy/`);
      assert.equal(pod.status, 200);
      assert.match(pod.body, new RegExp(`href="${PODS}/web:8080/proxy/sub/x.txt"`));
      const none = await get(`${SVCS}/empty/proxy/`);
      assert.equal(none.status, 503);
    });
  });
});
