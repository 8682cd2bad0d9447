// `node dist/bench/rbac.js`: the cost of one Node,RBAC decision on a policy of realistic size — the bootstrap
// roles plus N namespaces each with a Role and two RoleBindings (users, groups, service accounts) — for the
// cluster admin, a user allowed through a RoleBinding, a denied user and a node identity. Prints p50/p99 per
// case in microseconds and writes bench/results/rbac.json. Options: -- --namespaces N --iterations N --out FILE
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MemoryStorage } from '../src/storage/memory.js';
import { nodeRBACAuthorization } from '../src/apiserver/authorization/index.js';
import { bootstrapClusterRoleBindings, bootstrapClusterRoles } from '../src/apiserver/authorization/bootstrap/cluster_roles.js';
import type { AuthorizationAttributes } from '../src/apiserver/filters/authorization.js';
import type { KubeObject } from '../src/api/types.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const args = process.argv.slice(2);
const arg = (name: string, def: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1]! : def;
};
const NAMESPACES = Number(arg('namespaces', '500'));
const ITERATIONS = Number(arg('iterations', '20000'));
const OUT = arg('out', join(ROOT, 'bench/results/rbac.json'));
const P = '/registry/rbac.authorization.k8s.io/';

const storage = new MemoryStorage();
for (const r of bootstrapClusterRoles()) await storage.create(`${P}clusterroles/${r.metadata.name}`, r);
for (const b of bootstrapClusterRoleBindings()) await storage.create(`${P}clusterrolebindings/${b.metadata.name}`, b);
for (let i = 0; i < NAMESPACES; i++) {
  const ns = `ns-${i}`;
  const role: KubeObject = { metadata: { name: 'app', namespace: ns }, rules: [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['configmaps'] }] };
  await storage.create(`${P}roles/${ns}/app`, role);
  const subjects = [
    { kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: `user-${i}` },
    { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: `team-${i % 20}` },
    { kind: 'ServiceAccount', name: 'default', namespace: ns },
  ];
  const roleRef = (kind: string, name: string) => ({ apiGroup: 'rbac.authorization.k8s.io', kind, name });
  await storage.create(`${P}rolebindings/${ns}/app`, { metadata: { name: 'app', namespace: ns }, roleRef: roleRef('Role', 'app'), subjects });
  await storage.create(`${P}rolebindings/${ns}/view`, { metadata: { name: 'view', namespace: ns }, roleRef: roleRef('ClusterRole', 'view'), subjects });
}
const authz = nodeRBACAuthorization(storage);
await authz.start();

const base = { isResourceRequest: true, path: '', apiGroup: '', apiVersion: 'v1', subresource: '', name: '' };
const cases: { name: string; attrs: AuthorizationAttributes; want: string }[] = [
  {
    name: 'admin (system:masters) list pods',
    attrs: {
      ...base,
      user: { name: 'kubernetes-admin', uid: '', groups: ['system:masters', 'system:authenticated'], extra: {} },
      verb: 'list',
      namespace: 'ns-1',
      resource: 'pods',
    },
    want: 'Allow',
  },
  {
    name: 'user via RoleBinding get configmap',
    attrs: {
      ...base,
      user: { name: 'user-250', uid: '', groups: ['system:authenticated'], extra: {} },
      verb: 'get',
      namespace: 'ns-250',
      resource: 'configmaps',
      name: 'x',
    },
    want: 'Allow',
  },
  {
    name: 'user denied (other namespace)',
    attrs: {
      ...base,
      user: { name: 'user-250', uid: '', groups: ['system:authenticated', 'team-3'], extra: {} },
      verb: 'delete',
      namespace: 'ns-1',
      resource: 'pods',
    },
    want: 'NoOpinion',
  },
  {
    name: 'node update own node status',
    attrs: {
      ...base,
      user: { name: 'system:node:n1', uid: '', groups: ['system:nodes', 'system:authenticated'], extra: {} },
      verb: 'update',
      namespace: '',
      resource: 'nodes',
      subresource: 'status',
      name: 'n1',
    },
    want: 'Allow',
  },
];

const rows: { case: string; p50us: number; p99us: number }[] = [];
for (const c of cases) {
  const d = await authz.authorizer.authorize(c.attrs);
  if (d.decision !== c.want) throw new Error(`${c.name}: got ${d.decision}, want ${c.want}`);
  const times: number[] = [];
  for (let i = 0; i < ITERATIONS; i++) {
    const t0 = process.hrtime.bigint();
    await authz.authorizer.authorize(c.attrs);
    times.push(Number(process.hrtime.bigint() - t0) / 1000);
  }
  times.sort((a, b) => a - b);
  const pct = (p: number) => times[Math.min(times.length - 1, Math.ceil((p / 100) * times.length) - 1)]!;
  rows.push({ case: c.name, p50us: Number(pct(50).toFixed(2)), p99us: Number(pct(99).toFixed(2)) });
}
authz.stop();
console.log(`RBAC decisions: ${NAMESPACES} namespaces (${NAMESPACES * 2} RoleBindings), ${ITERATIONS} iterations each`);
console.table(rows);
mkdirSync(dirname(OUT), { recursive: true });
writeFileSync(OUT, JSON.stringify({ namespaces: NAMESPACES, iterations: ITERATIONS, rows }, null, 2) + '\n');
