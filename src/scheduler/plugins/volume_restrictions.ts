// VolumeRestrictions, as far as k8ts' volumes go: a PersistentVolumeClaim with accessMode ReadWriteOncePod
// may be used by one pod only, and of the inline volumes only those upstream checks (GCE PD, AWS EBS, RBD,
// iSCSI: same disk twice on a node) would conflict — k8ts has none of those, so only the claim rule applies.
import type { Pod } from '../../api/core/v1/types.js';
import type { Plugin } from '../framework_types.js';

export const ERR_REASON_DISK_CONFLICT = 'node(s) had no available disk';
export const ERR_REASON_RWOP_CONFLICT = 'node has pod using PersistentVolumeClaim with the same name and ReadWriteOncePod access mode';

function claims(pod: Pod): string[] {
  return (pod.spec?.volumes ?? []).flatMap((v) => (v.persistentVolumeClaim?.claimName ? [v.persistentVolumeClaim.claimName] : []));
}

export const volumeRestrictionsPlugin: Plugin = {
  name: 'VolumeRestrictions',
  events: [
    { resource: 'AssignedPod', actions: ['Delete'], label: 'AssignedPodDelete' },
    { resource: 'Node', actions: ['Add'], label: 'NodeAdd' },
  ],
  // Without a PersistentVolumeClaim API no claim can be ReadWriteOncePod: only two pods naming the same claim
  // could conflict, and k8ts cannot tell their access mode, so the filter lets them pass (as ReadWriteOnce).
  preFilter: (_s, pod) => (claims(pod).length === 0 ? { skip: true } : undefined),
  filter: () => null,
};
