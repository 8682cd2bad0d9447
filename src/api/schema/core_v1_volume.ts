// Schemas of io.k8s.api.core.v1.Volume and the volume sources k8ts supports: emptyDir, hostPath,
// configMap, secret, downwardAPI, projected (incl. serviceAccountToken) and persistentVolumeClaim.
import type { Definitions } from './types.js';
import { CORE, str, int32, int64, bool, ref, arr, obj, atomicObj, quantity } from './build.js';

const keyToPathList = (what: string) =>
  arr({ $ref: CORE + 'KeyToPath', default: {} }, `Which keys of the ${what} to project and to which paths; all keys when empty.`, {
    listType: 'atomic',
  });

export const volumeDefinitions: Definitions = {
  [CORE + 'Volume']: obj(
    'A named volume of a pod that containers can mount; exactly one source is set.',
    {
      configMap: ref(CORE + 'ConfigMapVolumeSource', 'Files from the keys of a ConfigMap.'),
      downwardAPI: ref(CORE + 'DownwardAPIVolumeSource', 'Files holding fields of the pod itself.'),
      emptyDir: ref(CORE + 'EmptyDirVolumeSource', 'A fresh empty directory that lives as long as the pod.'),
      hostPath: ref(CORE + 'HostPathVolumeSource', 'A file or directory of the node, for privileged system workloads.'),
      name: str('Name of the volume, a DNS label unique within the pod; volumeMounts refer to it.'),
      persistentVolumeClaim: ref(CORE + 'PersistentVolumeClaimVolumeSource', 'A PersistentVolumeClaim in the same namespace.'),
      projected: ref(CORE + 'ProjectedVolumeSource', 'Several sources (ConfigMaps, Secrets, downward API, service account tokens) merged into one directory.'),
      secret: ref(CORE + 'SecretVolumeSource', 'Files from the keys of a Secret.'),
    },
    ['name'],
  ),
  [CORE + 'EmptyDirVolumeSource']: obj('An empty directory created for the pod and removed with it.', {
    medium: str('Storage medium: "" for the node default disk, or "Memory" for tmpfs.'),
    sizeLimit: quantity('Maximum size of the directory; the pod is evicted when it grows larger.'),
  }),
  [CORE + 'HostPathVolumeSource']: obj(
    'A path on the node mapped into the pod.',
    {
      path: str('Path on the node; a symlink is followed.'),
      type: str('What must exist at the path: "", DirectoryOrCreate, Directory, FileOrCreate, File, Socket, CharDevice or BlockDevice.', [
        '',
        'BlockDevice',
        'CharDevice',
        'Directory',
        'DirectoryOrCreate',
        'File',
        'FileOrCreate',
        'Socket',
      ]),
    },
    ['path'],
  ),
  [CORE + 'KeyToPath']: obj(
    'Maps a key to a relative file path in a volume.',
    {
      key: str('The key to project.'),
      mode: int32('Permission bits of the file (0000-0777); the volume default mode when unset.'),
      path: str("Relative path of the file; may not contain '..' or start with '/'."),
    },
    ['key', 'path'],
  ),
  [CORE + 'ConfigMapVolumeSource']: obj('Projects the keys of a ConfigMap as files.', {
    defaultMode: int32('Permission bits for created files, 0000-0777. Defaults to 0644.'),
    items: keyToPathList('ConfigMap'),
    name: str('Name of the ConfigMap.'),
    optional: bool('Whether the ConfigMap or its keys may be missing.'),
  }),
  [CORE + 'SecretVolumeSource']: obj('Projects the keys of a Secret as files.', {
    defaultMode: int32('Permission bits for created files, 0000-0777. Defaults to 0644.'),
    items: keyToPathList('Secret'),
    optional: bool('Whether the Secret or its keys may be missing.'),
    secretName: str('Name of the Secret in the pod namespace.'),
  }),
  [CORE + 'DownwardAPIVolumeFile']: obj(
    'One file holding a pod field or a container resource.',
    {
      fieldRef: ref(CORE + 'ObjectFieldSelector', 'A pod field: metadata.name, metadata.namespace, metadata.labels, metadata.annotations, metadata.uid.'),
      mode: int32('Permission bits of the file, 0000-0777.'),
      path: str("Relative path of the file; may not contain '..' or start with '/'."),
      resourceFieldRef: ref(CORE + 'ResourceFieldSelector', 'A container resource limit or request.'),
    },
    ['path'],
  ),
  [CORE + 'DownwardAPIVolumeSource']: obj('Files holding fields of the pod.', {
    defaultMode: int32('Permission bits for created files, 0000-0777. Defaults to 0644.'),
    items: arr({ $ref: CORE + 'DownwardAPIVolumeFile', default: {} }, 'The files to create.', { listType: 'atomic' }),
  }),
  [CORE + 'DownwardAPIProjection']: obj('Downward API files inside a projected volume.', {
    items: arr({ $ref: CORE + 'DownwardAPIVolumeFile', default: {} }, 'The files to create.', { listType: 'atomic' }),
  }),
  [CORE + 'ConfigMapProjection']: obj('A ConfigMap inside a projected volume.', {
    items: keyToPathList('ConfigMap'),
    name: str('Name of the ConfigMap.'),
    optional: bool('Whether the ConfigMap or its keys may be missing.'),
  }),
  [CORE + 'SecretProjection']: obj('A Secret inside a projected volume.', {
    items: keyToPathList('Secret'),
    name: str('Name of the Secret.'),
    optional: bool('Whether the Secret or its keys may be missing.'),
  }),
  [CORE + 'ServiceAccountTokenProjection']: obj(
    'A service account token written to a file and refreshed by the kubelet.',
    {
      audience: str('Intended audience of the token; defaults to the API server identifier.'),
      expirationSeconds: int64('Requested token lifetime in seconds; at least 600, defaults to 3600.'),
      path: str('Relative path of the token file.'),
    },
    ['path'],
  ),
  [CORE + 'ClusterTrustBundleProjection']: obj(
    'Certificates from ClusterTrustBundle objects written to a file.',
    {
      labelSelector: ref('io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector', 'Select bundles by label.'),
      name: str('Select one bundle by name.'),
      optional: bool('Whether a missing bundle is tolerated.'),
      path: str('Relative path of the file.'),
      signerName: str('Select bundles by signer.'),
    },
    ['path'],
  ),
  [CORE + 'VolumeProjection']: obj('One source of a projected volume; exactly one field is set.', {
    clusterTrustBundle: ref(CORE + 'ClusterTrustBundleProjection', 'Certificates from ClusterTrustBundles.'),
    configMap: ref(CORE + 'ConfigMapProjection', 'Keys of a ConfigMap.'),
    downwardAPI: ref(CORE + 'DownwardAPIProjection', 'Fields of the pod.'),
    secret: ref(CORE + 'SecretProjection', 'Keys of a Secret.'),
    serviceAccountToken: ref(CORE + 'ServiceAccountTokenProjection', 'A bound service account token.'),
  }),
  [CORE + 'ProjectedVolumeSource']: obj('Several volume sources merged into one directory.', {
    defaultMode: int32('Permission bits for created files, 0000-0777. Defaults to 0644.'),
    sources: arr({ $ref: CORE + 'VolumeProjection', default: {} }, 'The sources to merge.', { listType: 'atomic' }),
  }),
  [CORE + 'PersistentVolumeClaimVolumeSource']: obj(
    'Uses a PersistentVolumeClaim of the pod namespace.',
    {
      claimName: str('Name of the claim.'),
      readOnly: bool('Force the mount read-only. Defaults to false.'),
    },
    ['claimName'],
  ),
  [CORE + 'LocalObjectReference']: atomicObj('Names an object in the same namespace.', {
    name: { ...str('Name of the referent.'), default: '' },
  }),
};
