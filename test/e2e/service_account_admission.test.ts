// The ServiceAccount admission plugin through the real kubectl: a pod runs as `default` with the projected
// kube-api-access-<5> volume mounted read-only in every container and init container; automount off on the
// account or the pod (the pod wins); a missing account is refused with upstream's message, and a ReplicaSet
// whose account appears later gets its pods then; a node may ask for tokens of the pods bound to it only; the
// ServiceAccount controller and the root-CA publisher keep `default` and kube-root-ca.crt in every namespace.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TestCluster, waitFor } from '../helpers/cluster.js';

const MOUNT = '/var/run/secrets/kubernetes.io/serviceaccount';
const asNode = (name: string) => ['--as', `system:node:${name}`, '--as-group', 'system:nodes'];

const pod = (name: string, extra = '', ns = 'team') => `apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: ${ns}}
spec:
${extra}  initContainers:
  - {name: init, image: busybox:1.35, command: ["true"]}
  containers:
  - {name: a, image: busybox:1.35}
  - name: b
    image: busybox:1.35
    volumeMounts: [{name: own, mountPath: ${MOUNT}}]
  volumes:
  - {name: own, emptyDir: {}}
`;

describe('ServiceAccount admission', { concurrency: 1 }, () => {
  let c: TestCluster;
  before(async () => {
    c = await new TestCluster().start();
    // right after its namespace: the plugin waits for the controller's `default` as upstream does
    await c.k(['create', 'namespace', 'team']);
  });
  after(async () => {
    await c.cleanup();
  });

  const getPod = async (name: string, ns = 'team') => JSON.parse(await c.k(['get', 'pod', name, '-n', ns, '-o', 'json']));

  it('runs a pod as default with the kube-api-access projected volume in every container lacking the path', async () => {
    await c.k(['apply', '-f', '-'], { input: pod('web') });
    const p = await getPod('web');
    assert.equal(p.spec.serviceAccountName, 'default');
    assert.equal(p.spec.serviceAccount, 'default');
    const vol = p.spec.volumes.find((v: any) => v.name.startsWith('kube-api-access-'));
    assert.match(vol.name, /^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    assert.deepEqual(vol.projected, {
      defaultMode: 420,
      sources: [
        { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
        { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
      ],
    });
    const mount = { name: vol.name, readOnly: true, mountPath: MOUNT };
    assert.deepEqual(p.spec.initContainers[0].volumeMounts, [mount]);
    assert.deepEqual(p.spec.containers[0].volumeMounts, [mount]);
    // a container that mounts something at the path keeps its own
    assert.deepEqual(p.spec.containers[1].volumeMounts, [{ name: 'own', mountPath: MOUNT }]);
    // kubectl describe shows the projected volume as upstream
    const d = await c.k(['describe', 'pod', 'web', '-n', 'team']);
    assert.match(d, new RegExp(`${MOUNT} from ${vol.name} \\(ro\\)`));
  });

  it('mounts nothing when the account or the pod turns automount off; the pod wins', async () => {
    await c.k(['apply', '-f', '-'], {
      input: `apiVersion: v1
kind: ServiceAccount
metadata: {name: quiet, namespace: team}
automountServiceAccountToken: false
`,
    });
    await c.k(['apply', '-f', '-'], { input: pod('quiet-pod', '  serviceAccountName: quiet\n') });
    const quiet = await getPod('quiet-pod');
    assert.equal(quiet.spec.serviceAccountName, 'quiet');
    assert.ok(!quiet.spec.volumes.some((v: any) => v.name.startsWith('kube-api-access-')));
    assert.equal(quiet.spec.containers[0].volumeMounts, undefined);

    await c.k(['apply', '-f', '-'], { input: pod('loud-pod', '  serviceAccountName: quiet\n  automountServiceAccountToken: true\n') });
    assert.ok((await getPod('loud-pod')).spec.volumes.some((v: any) => v.name.startsWith('kube-api-access-')));

    await c.k(['apply', '-f', '-'], { input: pod('off-pod', '  automountServiceAccountToken: false\n') });
    const off = await getPod('off-pod');
    assert.equal(off.spec.serviceAccountName, 'default');
    assert.ok(!off.spec.volumes.some((v: any) => v.name.startsWith('kube-api-access-')));
  });

  it('refuses a pod whose account does not exist; a ReplicaSet gets its pods once the account is there', async () => {
    const r = await c.kubectl(['apply', '-f', '-'], { input: pod('ghost-pod', '  serviceAccountName: ghost\n') });
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      /Error from server \(Forbidden\): error when creating "STDIN": pods "ghost-pod" is forbidden: error looking up service account team\/ghost: serviceaccount "ghost" not found/,
    );
    await c.k(['apply', '-f', '-'], {
      input: `apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: later, namespace: team}
spec:
  replicas: 2
  selector: {matchLabels: {app: later}}
  template:
    metadata: {labels: {app: later}}
    spec:
      serviceAccountName: later
      containers: [{name: main, image: busybox:1.35}]
`,
    });
    await waitFor(
      async () => {
        const rs = JSON.parse(await c.k(['get', 'rs', 'later', '-n', 'team', '-o', 'json']));
        return rs.status?.conditions?.some((x: any) => x.type === 'ReplicaFailure' && x.status === 'True');
      },
      20_000,
      200,
    );
    const events = await c.k(['get', 'events', '-n', 'team', '--field-selector', 'involvedObject.name=later', '-o', 'json']);
    assert.match(events, /error looking up service account team\/later: serviceaccount \\"later\\" not found/);
    assert.equal(JSON.parse(await c.k(['get', 'pods', '-n', 'team', '-l', 'app=later', '-o', 'json'])).items.length, 0);
    await c.k(['create', 'serviceaccount', 'later', '-n', 'team']);
    await waitFor(async () => JSON.parse(await c.k(['get', 'pods', '-n', 'team', '-l', 'app=later', '-o', 'json'])).items.length === 2, 60_000, 250);
  });

  it('lets a node request tokens only for pods bound to it', async () => {
    const bound = (name: string, node: string) => `apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: team}
spec:
  nodeName: ${node}
  containers: [{name: main, image: busybox:1.35}]
`;
    await c.k(['apply', '-f', '-'], { input: bound('on-n1', 'n1') });
    await c.k(['apply', '-f', '-'], { input: bound('on-n2', 'n2') });
    const uid = (name: string) => getPod(name).then((p) => p.metadata.uid as string);
    const own = await c.kubectl([
      ...asNode('n1'),
      'create',
      'token',
      'default',
      '-n',
      'team',
      '--bound-object-kind',
      'Pod',
      '--bound-object-name',
      'on-n1',
      '--bound-object-uid',
      await uid('on-n1'),
    ]);
    assert.equal(own.code, 0, own.stderr);
    assert.match(own.stdout.trim(), /^[\w-]+\.[\w-]+\.[\w-]+$/);
    const other = await c.kubectl([
      ...asNode('n1'),
      'create',
      'token',
      'default',
      '-n',
      'team',
      '--bound-object-kind',
      'Pod',
      '--bound-object-name',
      'on-n2',
      '--bound-object-uid',
      await uid('on-n2'),
    ]);
    assert.equal(other.code, 1);
    assert.match(other.stderr, /node requested token bound to a pod scheduled on a different node/);
    const unbound = await c.kubectl([...asNode('n1'), 'create', 'token', 'default', '-n', 'team']);
    assert.equal(unbound.code, 1);
    assert.match(unbound.stderr, /node requested token not bound to a pod/);
    // a node none of whose pods uses the account gets no token for it at all (the Node authorizer)
    const stranger = await c.kubectl([
      ...asNode('n3'),
      'create',
      'token',
      'default',
      '-n',
      'team',
      '--bound-object-kind',
      'Pod',
      '--bound-object-name',
      'on-n1',
    ]);
    assert.equal(stranger.code, 1);
    assert.match(stranger.stderr, /serviceaccounts "default" is forbidden: User "system:node:n3" cannot create resource "serviceaccounts\/token"/);
  });

  it('keeps `default` and kube-root-ca.crt in every namespace: made again when deleted, restored when edited', async () => {
    const ca = readFileSync(join(c.dataDir, 'pki', 'ca.crt'), 'utf8');
    const rootCA = async (ns: string) => {
      const r = await c.api('GET', `/api/v1/namespaces/${ns}/configmaps/kube-root-ca.crt`);
      return r.status === 200 ? r.body : undefined;
    };
    const hasDefault = async (ns: string) => (await c.api('GET', `/api/v1/namespaces/${ns}/serviceaccounts/default`)).status === 200;
    await c.k(['create', 'namespace', 'fresh']);
    for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease', 'team', 'fresh']) {
      await waitFor(() => hasDefault(ns));
      const cm = await waitFor(() => rootCA(ns));
      assert.deepEqual(cm.data, { 'ca.crt': ca }, ns);
      assert.match(cm.metadata.annotations['kubernetes.io/description'], /^Contains a CA bundle that can be used to verify the kube-apiserver/);
    }
    const uid = JSON.parse(await c.k(['get', 'sa', 'default', '-n', 'fresh', '-o', 'json'])).metadata.uid;
    await c.k(['delete', 'sa', 'default', '-n', 'fresh']);
    await waitFor(async () => {
      const r = await c.api('GET', '/api/v1/namespaces/fresh/serviceaccounts/default');
      return r.status === 200 && r.body.metadata.uid !== uid;
    });
    await c.k(['delete', 'configmap', 'kube-root-ca.crt', '-n', 'fresh']);
    await waitFor(async () => (await rootCA('fresh'))?.data?.['ca.crt'] === ca);
    await c.k(['patch', 'configmap', 'kube-root-ca.crt', '-n', 'fresh', '--type=merge', '-p', '{"data":{"ca.crt":"not a CA"}}']);
    await waitFor(async () => (await rootCA('fresh'))?.data?.['ca.crt'] === ca);
  });
});
