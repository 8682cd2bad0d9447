// What `k8ts server` sets up so that nodes can join with a token (kubeadm init's bootstrap-token and
// cluster-info phases, through the API with the admin identity): the kube-public/cluster-info ConfigMap (a
// kubeconfig with the server and CA; the bootstrap signer adds its JWS signatures) readable by
// system:anonymous, kube-system/extension-apiserver-authentication with the client CA (as kube-apiserver
// publishes it; k8ts lets nodes read it: their endpoint trusts the API server's client certificate by it), and
// one live bootstrap token, whose join command is printed (again whenever a new token replaces it).
import { stringify } from 'yaml';
import type { ConfigMap } from '../api/core/v1/types.js';
import type { KubeObject } from '../api/types.js';
import type { KubeClient } from '../client/rest.js';
import { coreV1, ResourceClient, type ResourceRef } from '../client/typed.js';
import type { Logger } from '../log/logger.js';
import { caCertHash } from '../pki/pubkey_pin.js';
import { ensureJoinToken, joinCommand } from './bootstrap_tokens.js';

export const CLUSTER_INFO = { namespace: 'kube-public', name: 'cluster-info' };
export const AUTHENTICATION_CONFIGMAP = { namespace: 'kube-system', name: 'extension-apiserver-authentication' };
const RBAC = 'rbac.authorization.k8s.io';
const roles: ResourceRef = { group: RBAC, version: 'v1', resource: 'roles', namespaced: true };
const roleBindings: ResourceRef = { group: RBAC, version: 'v1', resource: 'rolebindings', namespaced: true };

/** kubeadm's cluster-info kubeconfig: one nameless cluster, no users. */
export function clusterInfoKubeconfig(server: string, caPem: string): string {
  return stringify({
    apiVersion: 'v1',
    clusters: [{ cluster: { 'certificate-authority-data': Buffer.from(caPem).toString('base64'), server }, name: '' }],
    contexts: null,
    'current-context': '',
    kind: 'Config',
    preferences: {},
    users: null,
  });
}

/** Creates `obj`, or brings the stored one's `fields` to it. */
async function apply<T extends KubeObject>(rc: ResourceClient<T>, obj: T, fields: (keyof T)[]): Promise<void> {
  try {
    await rc.create(obj);
    return;
  } catch (e) {
    if ((e as { code?: number }).code !== 409) throw e;
  }
  const cur = await rc.get(obj.metadata.name!);
  if (fields.every((f) => JSON.stringify(cur[f]) === JSON.stringify(obj[f]))) return;
  const next = structuredClone(cur);
  for (const f of fields) next[f] = obj[f];
  await rc.update(next);
}

function readerRole(namespace: string, name: string, configMap: string): KubeObject {
  return {
    apiVersion: `${RBAC}/v1`,
    kind: 'Role',
    metadata: { name, namespace },
    rules: [{ apiGroups: [''], resources: ['configmaps'], resourceNames: [configMap], verbs: ['get', 'list', 'watch'] }],
  } as KubeObject;
}

function roleBinding(namespace: string, name: string, role: string, subject: { kind: 'User' | 'Group'; name: string }): KubeObject {
  return {
    apiVersion: `${RBAC}/v1`,
    kind: 'RoleBinding',
    metadata: { name, namespace },
    roleRef: { apiGroup: RBAC, kind: 'Role', name: role },
    subjects: [{ apiGroup: RBAC, ...subject }],
  } as KubeObject;
}

export async function publishJoinInfo(client: KubeClient, o: { server: string; caPem: string; clientCAPem: string }): Promise<void> {
  const core = coreV1(client);
  const cm = (ns: string, name: string, data: Record<string, string>): ConfigMap => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace: ns },
    data,
  });
  // cluster-info keeps the signatures the bootstrap signer added: only the kubeconfig is ours
  const kubeconfig = clusterInfoKubeconfig(o.server, o.caPem);
  const infoClient = core.configMaps(CLUSTER_INFO.namespace);
  try {
    await infoClient.create(cm(CLUSTER_INFO.namespace, CLUSTER_INFO.name, { kubeconfig }));
  } catch (e) {
    if ((e as { code?: number }).code !== 409) throw e;
    const cur = await infoClient.get(CLUSTER_INFO.name);
    if (cur.data?.kubeconfig !== kubeconfig) await infoClient.update({ ...cur, data: { ...(cur.data ?? {}), kubeconfig } });
  }
  const rc = (r: ResourceRef, ns: string) => new ResourceClient<KubeObject>(client, r, ns);
  await apply(rc(roles, CLUSTER_INFO.namespace), readerRole(CLUSTER_INFO.namespace, 'kubeadm:bootstrap-signer-clusterinfo', CLUSTER_INFO.name), [
    'rules' as never,
  ]);
  await apply(
    rc(roleBindings, CLUSTER_INFO.namespace),
    roleBinding(CLUSTER_INFO.namespace, 'kubeadm:bootstrap-signer-clusterinfo', 'kubeadm:bootstrap-signer-clusterinfo', {
      kind: 'User',
      name: 'system:anonymous',
    }),
    ['roleRef' as never, 'subjects' as never],
  );
  await apply(
    core.configMaps(AUTHENTICATION_CONFIGMAP.namespace),
    cm(AUTHENTICATION_CONFIGMAP.namespace, AUTHENTICATION_CONFIGMAP.name, { 'client-ca-file': o.clientCAPem }),
    ['data'],
  );
  const ns = AUTHENTICATION_CONFIGMAP.namespace;
  await apply(rc(roles, ns), readerRole(ns, 'extension-apiserver-authentication-reader', AUTHENTICATION_CONFIGMAP.name), ['rules' as never]);
  await apply(
    rc(roleBindings, ns),
    roleBinding(ns, 'k8ts:nodes:extension-apiserver-authentication-reader', 'extension-apiserver-authentication-reader', {
      kind: 'Group',
      name: 'system:nodes',
    }),
    ['roleRef' as never, 'subjects' as never],
  );
}

/**
 * Keeps one join token: prints `join: <command>` for it now and whenever it is replaced (checked hourly, a
 * new one made an hour before the old expires). Returns a stop function.
 */
export async function keepJoinToken(client: KubeClient, o: { server: string; caPem: string; log: Logger; print: (line: string) => void }): Promise<() => void> {
  const hash = caCertHash(o.caPem);
  let last = '';
  const check = async () => {
    const { token, created } = await ensureJoinToken(client);
    if (created) o.log.info({}, 'Created a bootstrap token for joining nodes');
    if (token !== last) o.print(`join: ${joinCommand(o.server, token, hash)}\n`);
    last = token;
  };
  await check();
  const timer = setInterval(() => check().catch((e: Error) => o.log.error({ err: e.message }, 'Keeping the join token failed')), 3600_000);
  timer.unref();
  return () => clearInterval(timer);
}
