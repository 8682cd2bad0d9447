// Node,RBAC authorization through the real kubectl (other users by impersonation, which the admin may do):
// jane is forbidden with upstream's exact message, then allowed by a RoleBinding only in its namespace;
// `kubectl auth can-i` (exit codes, subresources, non-resource URLs, --list); escalation prevention; the
// aggregation of admin/edit/view; the Node authorizer and NodeRestriction for a node identity.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { TestCluster, waitFor } from '../helpers/cluster.js';

let c: TestCluster;
const jane = ['--as', 'jane'];
const node = (name: string) => ['--as', `system:node:${name}`, '--as-group', 'system:nodes'];

before(async () => {
  c = await new TestCluster({ store: 'memory', agent: false }).start();
  await c.k(['create', 'namespace', 'dev']);
});
after(async () => {
  await c.cleanup();
});

test('jane is forbidden, then allowed by a RoleBinding to view in dev only', async () => {
  const denied = await c.kubectl(['get', 'pods', ...jane]);
  assert.equal(denied.code, 1);
  assert.equal(
    denied.stderr.trim(),
    'Error from server (Forbidden): pods is forbidden: User "jane" cannot list resource "pods" in API group "" in the namespace "default"',
  );
  const nodes = await c.kubectl(['get', 'nodes', ...jane]);
  assert.match(nodes.stderr, /nodes is forbidden: User "jane" cannot list resource "nodes" in API group "" at the cluster scope/);
  await c.k(['create', 'rolebinding', 'jane-view', '--clusterrole=view', '--user=jane', '-n', 'dev']);
  await c.k(['create', 'configmap', 'app', '-n', 'dev', '--from-literal=a=b']);
  assert.match(await c.k(['get', 'configmaps', '-n', 'dev', ...jane]), /^app\s+1\s+/m);
  const stillDenied = await c.kubectl(['get', 'configmaps', '-n', 'default', ...jane]);
  assert.match(stillDenied.stderr, /configmaps is forbidden: User "jane" cannot list resource "configmaps" in API group "" in the namespace "default"/);
  const write = await c.kubectl(['delete', 'configmap', 'app', '-n', 'dev', ...jane]);
  assert.match(write.stderr, /configmaps "app" is forbidden: User "jane" cannot delete resource "configmaps" in API group "" in the namespace "dev"/);
  // view may not read secrets
  const secrets = await c.kubectl(['get', 'secrets', '-n', 'dev', ...jane]);
  assert.match(secrets.stderr, /secrets is forbidden/);
});

test('kubectl auth can-i answers yes/no with upstream exit codes, for subresources and URLs; --list', async () => {
  const can = async (args: string[], minor?: number) => {
    const r = await c.kubectl(['auth', 'can-i', ...args], { minor });
    return `${r.stdout.trim()} ${r.code}`;
  };
  assert.equal(await can(['list', 'pods', '-n', 'dev', ...jane]), 'yes 0');
  assert.equal(await can(['list', 'pods', '-n', 'default', ...jane]), 'no 1');
  assert.equal(await can(['get', 'pods', '--subresource=log', '-n', 'dev', ...jane]), 'yes 0');
  assert.equal(await can(['create', 'pods', '--subresource=exec', '-n', 'dev', ...jane]), 'no 1');
  assert.equal(await can(['get', '/healthz', ...jane]), 'yes 0');
  assert.equal(await can(['get', '/metrics', ...jane]), 'no 1');
  assert.equal(await can(['*', '*']), 'yes 0');
  assert.equal(await can(['list', 'pods', '-n', 'dev', ...jane], 27), 'yes 0');
  const list = await c.k(['auth', 'can-i', '--list', '-n', 'dev', ...jane]);
  assert.match(list, /^Resources\s+Non-Resource URLs\s+Resource Names\s+Verbs$/m);
  assert.match(list, /^pods\s+\[\]\s+\[\]\s+\[get list watch\]$/m);
  assert.match(list, /^\s+\[\/healthz\]\s+\[\]\s+\[get\]$/m);
  const none = await c.k(['auth', 'can-i', '--list', '-n', 'default', ...jane]);
  assert.doesNotMatch(none, /^pods\s/m);
});

test('a SubjectAccessReview answers for another user; impersonation needs the impersonate verb', async () => {
  const sar = (u: string, verb: string, resource: string, name = '') =>
    JSON.stringify({
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SubjectAccessReview',
      spec: { user: u, groups: ['system:authenticated'], resourceAttributes: { verb, resource, name } },
    });
  // (kubectl create -f checks kinds without PATCH against CRDs, which k8ts does not serve: post the body raw)
  const post = (body: string) => c.k(['create', '--raw', '/apis/authorization.k8s.io/v1/subjectaccessreviews', '-f', '-'], { input: body });
  const denied = JSON.parse(await post(sar('jane', 'impersonate', 'users', 'bob')));
  assert.equal(denied.status.allowed, false);
  const admin = JSON.parse(
    await post(
      JSON.stringify({
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SubjectAccessReview',
        spec: { user: 'root', groups: ['system:masters'], resourceAttributes: { verb: 'impersonate', resource: 'users', name: 'bob' } },
      }),
    ),
  );
  assert.deepEqual(admin.status, {
    allowed: true,
    reason: 'RBAC: allowed by ClusterRoleBinding "cluster-admin" of ClusterRole "cluster-admin" to Group "system:masters"',
  });
  const bad = await c.kubectl(['create', '--raw', '/apis/authorization.k8s.io/v1/subjectaccessreviews', '-f', '-'], {
    input: JSON.stringify({ apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec: { user: 'x' } }),
  });
  assert.match(bad.stderr, /exactly one of nonResourceAttributes or resourceAttributes must be specified/);
});

test('escalation: a namespace admin cannot grant what it does not hold, but can bind what it does, or with bind/escalate', async () => {
  await c.k(['create', 'namespace', 'team']);
  await c.k(['create', 'rolebinding', 'lead-admin', '--clusterrole=admin', '--user=lead', '-n', 'team']);
  const lead = ['--as', 'lead'];
  const big = await c.kubectl(['create', 'role', 'big', '--verb=*', '--resource=nodes', '-n', 'team', ...lead]);
  assert.equal(big.code, 1);
  assert.match(
    big.stderr,
    /roles.rbac.authorization.k8s.io "big" is forbidden: user "lead" \(groups=\["system:authenticated"\]\) is attempting to grant RBAC permissions not currently held:\n\{APIGroups:\[""\], Resources:\["nodes"\], Verbs:\["\*"\]\}/,
  );
  const bind = await c.kubectl(['create', 'rolebinding', 'root', '--clusterrole=cluster-admin', '--user=lead', '-n', 'team', ...lead]);
  assert.match(
    bind.stderr,
    /rolebindings.rbac.authorization.k8s.io "root" is forbidden: user "lead" .* is attempting to grant RBAC permissions not currently held/,
  );
  await c.k(['create', 'role', 'small', '--verb=get', '--resource=pods', '-n', 'team', ...lead]);
  await c.k(['create', 'rolebinding', 'dev-view', '--clusterrole=view', '--user=dev1', '-n', 'team', ...lead]);
  // with the bind verb on cluster-admin, binding it is allowed without holding it
  await c.k(['create', 'clusterrole', 'binder', '--verb=bind', '--resource=clusterroles', '--resource-name=cluster-admin']);
  await c.k(['create', 'rolebinding', 'lead-binder', '--clusterrole=binder', '--user=lead', '-n', 'team']);
  await c.k(['create', 'rolebinding', 'root', '--clusterrole=cluster-admin', '--user=dev1', '-n', 'team', ...lead]);
  // with the escalate verb on roles, a role may hold more than its writer does
  await c.k(['create', 'clusterrole', 'escalator', '--verb=escalate', '--resource=roles.rbac.authorization.k8s.io']);
  await c.k(['create', 'rolebinding', 'lead-escalator', '--clusterrole=escalator', '--user=lead', '-n', 'team']);
  await c.k(['create', 'role', 'big', '--verb=*', '--resource=nodes', '-n', 'team', ...lead]);
  // but only where it has it
  await c.k(['create', 'namespace', 'team2']);
  await c.k(['create', 'rolebinding', 'lead-admin', '--clusterrole=admin', '--user=lead', '-n', 'team2']);
  const elsewhere = await c.kubectl(['create', 'role', 'big', '--verb=*', '--resource=nodes', '-n', 'team2', ...lead]);
  assert.match(
    elsewhere.stderr,
    /roles.rbac.authorization.k8s.io "big" is forbidden: user "lead" .* is attempting to grant RBAC permissions not currently held/,
  );
});

test('admin, edit and view are aggregated, and follow new aggregate-to-* roles', async () => {
  const rulesOf = async (name: string) => JSON.parse(await c.k(['get', 'clusterrole', name, '-o', 'json'])).rules as { resources?: string[] }[];
  const has = (rules: { resources?: string[] }[], r: string) => rules.some((x) => x.resources?.includes(r));
  assert.ok(has(await rulesOf('admin'), 'rolebindings'));
  assert.ok(has(await rulesOf('admin'), 'pods/exec'));
  assert.ok(has(await rulesOf('admin'), 'pods/log'));
  assert.ok(!has(await rulesOf('view'), 'secrets'));
  assert.ok(!has(await rulesOf('view'), 'nodes'));
  await c.k(['create', 'clusterrole', 'node-viewer', '--verb=get', '--resource=nodes']);
  await c.k(['label', 'clusterrole', 'node-viewer', 'rbac.authorization.k8s.io/aggregate-to-view=true']);
  await waitFor(async () => has(await rulesOf('view'), 'nodes'));
  await waitFor(async () => has(await rulesOf('admin'), 'nodes'));
});

test('Node authorizer and NodeRestriction: a node reads only what its pods use and modifies only its own objects', async () => {
  for (const n of ['n1', 'n2']) {
    await c.k(['create', '-f', '-'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'Node', metadata: { name: n } }) });
  }
  await c.k(['create', 'secret', 'generic', 'used', '-n', 'dev', '--from-literal=k=v']);
  await c.k(['create', 'secret', 'generic', 'unused', '-n', 'dev', '--from-literal=k=v']);
  const pod = (name: string, nodeName: string) =>
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: 'dev' },
      spec: {
        nodeName,
        containers: [{ name: 'c', image: 'busybox:1.35', env: [{ name: 'K', valueFrom: { secretKeyRef: { name: 'used', key: 'k' } } }] }],
      },
    });
  await c.k(['create', '-f', '-'], { input: pod('on-n1', 'n1') });
  await c.k(['create', '-f', '-'], { input: pod('on-n2', 'n2') });
  assert.match(await c.k(['get', 'secret', 'used', '-n', 'dev', ...node('n1')]), /^used\s/m);
  const unused = await c.kubectl(['get', 'secret', 'unused', '-n', 'dev', ...node('n1')]);
  assert.match(
    unused.stderr,
    /secrets "unused" is forbidden: User "system:node:n1" cannot get resource "secrets" in API group "" in the namespace "dev": no relationship found between node 'n1' and this object/,
  );
  // pods: its own by name; list only with its spec.nodeName selector
  assert.match(await c.k(['get', 'pod', 'on-n1', '-n', 'dev', ...node('n1')]), /on-n1/);
  assert.match((await c.kubectl(['get', 'pod', 'on-n2', '-n', 'dev', ...node('n1')])).stderr, /no relationship found between node 'n1' and this object/);
  assert.match(await c.k(['get', 'pods', '-A', '--field-selector', 'spec.nodeName=n1', ...node('n1')]), /on-n1/);
  assert.match((await c.kubectl(['get', 'pods', '-A', ...node('n1')])).stderr, /can only list\/watch pods with spec.nodeName field selector/);
  // NodeRestriction: another node's pod, Node and Lease
  const del = await c.kubectl(['delete', 'pod', 'on-n2', '-n', 'dev', '--wait=false', ...node('n1')]);
  assert.match(del.stderr, /pods "on-n2" is forbidden: node "n1" can only delete pods with spec.nodeName set to itself/);
  // pod status as the kubelet writes it (a PATCH, without the GET kubectl patch does first)
  const asNode = { 'Impersonate-User': 'system:node:n1', 'Impersonate-Group': 'system:nodes', 'Content-Type': 'application/merge-patch+json' };
  const status = await c.api('PATCH', '/api/v1/namespaces/dev/pods/on-n2/status', { status: { message: 'x' } }, asNode);
  assert.equal(status.status, 403);
  assert.equal(status.body.message, 'pods "on-n2" is forbidden: node "n1" can only update pod status for pods with spec.nodeName set to itself');
  assert.equal((await c.api('PATCH', '/api/v1/namespaces/dev/pods/on-n1/status', { status: { message: 'ok' } }, asNode)).status, 200);
  const other = await c.kubectl(['label', 'node', 'n2', 'a=b', ...node('n1')]);
  assert.match(other.stderr, /nodes "n2" is forbidden: node "n1" is not allowed to modify node "n2"/);
  const restricted = await c.kubectl(['label', 'node', 'n1', 'node-restriction.kubernetes.io/pool=x', ...node('n1')]);
  assert.match(restricted.stderr, /nodes "n1" is forbidden: is not allowed to modify labels: node-restriction.kubernetes.io\/pool/);
  const taint = await c.kubectl(['taint', 'node', 'n1', 'k=v:NoSchedule', ...node('n1')]);
  assert.match(taint.stderr, /node "n1" is not allowed to modify taints/);
  await c.k(['label', 'node', 'n1', 'node.kubernetes.io/role=edge', ...node('n1')]);
  const create = await c.kubectl(['create', '-f', '-', ...node('n1')], { input: pod('sneaky', 'n1') });
  assert.match(create.stderr, /pods "sneaky" is forbidden: pod does not have "kubernetes.io\/config.mirror" annotation, node "n1" can only create mirror pods/);
  const lease = (name: string) =>
    JSON.stringify({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name, namespace: 'kube-node-lease' }, spec: { holderIdentity: name } });
  await c.k(['create', '-f', '-', ...node('n1')], { input: lease('n1') });
  const otherLease = await c.kubectl(['create', '-f', '-', ...node('n1')], { input: lease('n2') });
  assert.match(otherLease.stderr, /leases.coordination.k8s.io "n2" is forbidden: can only access node lease with the same name as the requesting node/);
  await c.k(['create', '-f', '-'], { input: lease('n2') });
  const readOther = await c.kubectl(['get', 'lease', 'n2', '-n', 'kube-node-lease', ...node('n1')]);
  assert.match(
    readOther.stderr,
    /cannot get resource "leases" in API group "coordination.k8s.io" in the namespace "kube-node-lease": can only access node lease with the same name as the requesting node/,
  );
  // the node's own pod may go
  await c.k(['delete', 'pod', 'on-n1', '-n', 'dev', '--wait=false', ...node('n1')]);
});
