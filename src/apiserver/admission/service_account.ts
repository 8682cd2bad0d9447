// The ServiceAccount admission plugin (upstream plugin/pkg/admission/serviceaccount): a new pod runs as
// `default` unless it names an account, which must exist; the account's imagePullSecrets are copied when the
// pod has none; and unless automountServiceAccountToken is false (pod first, then account) every container
// and init container gets the projected kube-api-access-<random> volume (a bound token, the cluster CA, the
// namespace) read-only at /var/run/secrets/kubernetes.io/serviceaccount. As upstream, only creates are
// mutated: ephemeral containers added later get no mount of their own.
import { randomInt } from 'node:crypto';
import type { Pod, ServiceAccount, Volume } from '../../api/core/v1/types.js';
import {
  DEFAULT_SERVICE_ACCOUNT,
  ROOT_CA_CONFIGMAP,
  ROOT_CA_CONFIGMAP_KEY,
  SERVICE_ACCOUNT_MOUNT_PATH,
  SERVICE_ACCOUNT_VOLUME_PREFIX,
} from '../../api/serviceaccount.js';
import { admissionForbidden } from './errors.js';
import type { AdmissionPlugin } from './interfaces.js';

/** The token lifetime the plugin asks for (upstream WarnOnlyBoundTokenExpirationSeconds). */
const TOKEN_EXPIRATION_SECONDS = 3607;
/** Upstream's mirror pod annotation: static pods' API mirrors get no ServiceAccount. */
const MIRROR_POD_ANNOTATION = 'kubernetes.io/config.mirror';
/** apimachinery's rand.String alphabet (no vowels, no confusable digits). */
const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

function randomSuffix(n = 5): string {
  let s = '';
  for (let i = 0; i < n; i++) s += ALPHANUMS[randomInt(ALPHANUMS.length)];
  return s;
}

/** The projected volume kubelet fills with a bound token, ca.crt and namespace. */
export function serviceAccountTokenVolume(name: string): Volume {
  return {
    name,
    projected: {
      defaultMode: 0o644,
      sources: [
        { serviceAccountToken: { expirationSeconds: TOKEN_EXPIRATION_SECONDS, path: 'token' } },
        { configMap: { name: ROOT_CA_CONFIGMAP, items: [{ key: ROOT_CA_CONFIGMAP_KEY, path: 'ca.crt' }] } },
        { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
      ],
    },
  };
}

export function serviceAccountAdmission(getServiceAccount: (namespace: string, name: string) => Promise<ServiceAccount | undefined>): AdmissionPlugin {
  return {
    name: 'ServiceAccount',
    handles: (op) => op === 'CREATE',
    async admit(a) {
      if (a.resource.group !== '' || a.resource.resource !== 'pods' || a.subresource || !a.object) return;
      const pod = a.object as Pod;
      if (pod.metadata.annotations?.[MIRROR_POD_ANNOTATION] !== undefined) return;
      const spec = (pod.spec ??= { containers: [] });
      const saName = spec.serviceAccountName || spec.serviceAccount || DEFAULT_SERVICE_ACCOUNT;
      spec.serviceAccountName = saName;
      spec.serviceAccount = saName;
      const sa = await getServiceAccount(a.namespace, saName);
      if (!sa) throw admissionForbidden(a, `error looking up service account ${a.namespace}/${saName}: serviceaccount "${saName}" not found`);
      if (!spec.imagePullSecrets?.length && sa.imagePullSecrets?.length) spec.imagePullSecrets = structuredClone(sa.imagePullSecrets);
      const automount = spec.automountServiceAccountToken ?? sa.automountServiceAccountToken ?? true;
      if (!automount) return;
      mountServiceAccountToken(pod);
    },
  };
}

/** Adds the token volume (once) and its mount to every container and init container that lacks one at the path. */
export function mountServiceAccountToken(pod: Pod): void {
  const spec = pod.spec!;
  const volumes = spec.volumes ?? [];
  let volumeName = volumes.find((v) => v.name.startsWith(SERVICE_ACCOUNT_VOLUME_PREFIX))?.name;
  const exists = volumeName !== undefined;
  volumeName ??= SERVICE_ACCOUNT_VOLUME_PREFIX + randomSuffix();
  let needed = false;
  for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
    const mounts = (c.volumeMounts ??= []);
    if (mounts.some((m) => m.mountPath === SERVICE_ACCOUNT_MOUNT_PATH)) continue;
    mounts.push({ name: volumeName, readOnly: true, mountPath: SERVICE_ACCOUNT_MOUNT_PATH });
    needed = true;
  }
  if (needed && !exists) spec.volumes = [...volumes, serviceAccountTokenVolume(volumeName)];
}
