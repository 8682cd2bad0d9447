// The ServiceAccount admission plugin: default account, the projected kube-api-access volume and its mounts
// (init containers too, never twice, not over an existing mount), automountServiceAccountToken false on the
// pod or the account, imagePullSecrets from the account, and upstream's refusal of a missing account.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod, ServiceAccount } from '../../../src/api/core/v1/types.js';
import type { AdmissionAttributes } from '../../../src/apiserver/admission/interfaces.js';
import { serviceAccountAdmission } from '../../../src/apiserver/admission/service_account.js';
import { StatusError } from '../../../src/api/errors.js';

const MOUNT = '/var/run/secrets/kubernetes.io/serviceaccount';

function plugin(accounts: Record<string, ServiceAccount>) {
  return serviceAccountAdmission(async (ns, name) => accounts[`${ns}/${name}`]);
}

function attrs(pod: Pod, o: Partial<AdmissionAttributes> = {}): AdmissionAttributes {
  return {
    operation: 'CREATE',
    kind: { group: '', version: 'v1', kind: 'Pod' },
    resource: { group: '', version: 'v1', resource: 'pods' },
    subresource: '',
    namespace: 'default',
    name: pod.metadata.name ?? '',
    object: pod,
    dryRun: false,
    userInfo: { name: 'u', uid: '', groups: [], extra: {} },
    ...o,
  };
}

const sa = (name: string, extra: Partial<ServiceAccount> = {}): ServiceAccount => ({ metadata: { name, namespace: 'default', uid: `uid-${name}` }, ...extra });
const podWith = (spec: Partial<Pod['spec']> = {}): Pod => ({
  metadata: { name: 'web', namespace: 'default' },
  spec: { containers: [{ name: 'app', image: 'busybox' }], ...spec } as Pod['spec'],
});

test('a pod runs as default and gets the kube-api-access projected volume in every container', async () => {
  const p = podWith({
    initContainers: [{ name: 'init', image: 'busybox' }],
    containers: [
      { name: 'a', image: 'busybox' },
      { name: 'b', image: 'busybox' },
    ],
  });
  await plugin({ 'default/default': sa('default') }).admit!(attrs(p));
  assert.equal(p.spec!.serviceAccountName, 'default');
  assert.equal(p.spec!.serviceAccount, 'default');
  assert.equal(p.spec!.volumes!.length, 1);
  const vol = p.spec!.volumes![0];
  assert.match(vol.name, /^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  assert.deepEqual(vol.projected, {
    defaultMode: 420,
    sources: [
      { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
      { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
      { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
    ],
  });
  for (const c of [...p.spec!.initContainers!, ...p.spec!.containers]) {
    assert.deepEqual(c.volumeMounts, [{ name: vol.name, readOnly: true, mountPath: MOUNT }], c.name);
  }
});

test('a container that already mounts the path keeps its mount; an existing kube-api-access volume is reused', async () => {
  const p = podWith({
    volumes: [
      { name: 'kube-api-access-abcde', emptyDir: {} },
      { name: 'mine', emptyDir: {} },
    ],
    containers: [
      { name: 'own', image: 'busybox', volumeMounts: [{ name: 'mine', mountPath: MOUNT }] },
      { name: 'plain', image: 'busybox' },
    ],
  });
  await plugin({ 'default/default': sa('default') }).admit!(attrs(p));
  assert.equal(p.spec!.volumes!.length, 2);
  assert.deepEqual(p.spec!.containers[0].volumeMounts, [{ name: 'mine', mountPath: MOUNT }]);
  assert.deepEqual(p.spec!.containers[1].volumeMounts, [{ name: 'kube-api-access-abcde', readOnly: true, mountPath: MOUNT }]);
});

test('automountServiceAccountToken false on the pod or the account mounts nothing; the pod wins over the account', async () => {
  const off = podWith({ serviceAccountName: 'bot', automountServiceAccountToken: false });
  await plugin({ 'default/bot': sa('bot') }).admit!(attrs(off));
  assert.equal(off.spec!.volumes, undefined);
  assert.equal(off.spec!.containers[0].volumeMounts, undefined);

  const accountOff = podWith({ serviceAccountName: 'quiet' });
  await plugin({ 'default/quiet': sa('quiet', { automountServiceAccountToken: false }) }).admit!(attrs(accountOff));
  assert.equal(accountOff.spec!.volumes, undefined);

  const podOn = podWith({ serviceAccountName: 'quiet', automountServiceAccountToken: true });
  await plugin({ 'default/quiet': sa('quiet', { automountServiceAccountToken: false }) }).admit!(attrs(podOn));
  assert.equal(podOn.spec!.volumes!.length, 1);
});

test('the deprecated serviceAccount field names the account; imagePullSecrets come from it when the pod has none', async () => {
  const p = podWith({ serviceAccount: 'puller' } as Partial<Pod['spec']>);
  await plugin({ 'default/puller': sa('puller', { imagePullSecrets: [{ name: 'regcred' }] }) }).admit!(attrs(p));
  assert.equal(p.spec!.serviceAccountName, 'puller');
  assert.deepEqual(p.spec!.imagePullSecrets, [{ name: 'regcred' }]);
  const own = podWith({ serviceAccountName: 'puller', imagePullSecrets: [{ name: 'mine' }] });
  await plugin({ 'default/puller': sa('puller', { imagePullSecrets: [{ name: 'regcred' }] }) }).admit!(attrs(own));
  assert.deepEqual(own.spec!.imagePullSecrets, [{ name: 'mine' }]);
});

test('a pod whose account does not exist is refused as upstream', async () => {
  const p = podWith({ serviceAccountName: 'ghost' });
  await assert.rejects(plugin({}).admit!(attrs(p)), (e: unknown) => {
    assert.ok(e instanceof StatusError);
    assert.equal(e.code, 403);
    assert.equal(e.status.message, 'pods "web" is forbidden: error looking up service account default/ghost: serviceaccount "ghost" not found');
    return true;
  });
});

test('only pod creates are touched: other kinds, subresources and mirror pods are left alone', async () => {
  const pl = plugin({});
  assert.equal(pl.handles('UPDATE'), false);
  const binding = podWith();
  await pl.admit!(attrs(binding, { subresource: 'binding' }));
  const mirror = podWith();
  mirror.metadata.annotations = { 'kubernetes.io/config.mirror': 'x' };
  await pl.admit!(attrs(mirror));
  assert.equal(mirror.spec!.serviceAccountName, undefined);
  const cm = { metadata: { name: 'c' } };
  await pl.admit!(attrs(cm as Pod, { resource: { group: '', version: 'v1', resource: 'configmaps' } }));
});
