// Defaults of StatefulSet, DaemonSet and ControllerRevision (upstream pkg/apis/apps/v1 defaults.go) and of the
// pod template they carry (a pod spec's defaults, without what only pod admission sets on real pods).
import type { PodTemplateSpec } from '../../core/v1/types.js';
import { setDefaultsTemplatePodSpec } from '../../core/v1/defaults.js';
import type { ControllerRevision, DaemonSet, StatefulSet } from './workload_types.js';

/** Template defaults: SetDefaults_PodSpec, but not what only pods get (service account, priority, service links). */
export function setDefaultsPodTemplate(t: PodTemplateSpec | undefined): void {
  if (!t || typeof t !== 'object' || !t.spec || typeof t.spec !== 'object') return;
  setDefaultsTemplatePodSpec(t.spec);
  t.metadata ??= {};
}

export function setDefaultsStatefulSet(sts: StatefulSet): StatefulSet {
  sts.apiVersion ??= 'apps/v1';
  sts.kind ??= 'StatefulSet';
  const spec = (sts.spec ??= { template: {} });
  if (typeof spec !== 'object') return sts;
  spec.podManagementPolicy ||= 'OrderedReady';
  const us = (spec.updateStrategy ??= {});
  us.type ||= 'RollingUpdate';
  if (us.type === 'RollingUpdate') {
    us.rollingUpdate ??= {};
    us.rollingUpdate.partition ??= 0;
  }
  const pvc = (spec.persistentVolumeClaimRetentionPolicy ??= {});
  pvc.whenDeleted ||= 'Retain';
  pvc.whenScaled ||= 'Retain';
  spec.replicas ??= 1;
  spec.revisionHistoryLimit ??= 10;
  setDefaultsPodTemplate(spec.template);
  return sts;
}

export function setDefaultsDaemonSet(ds: DaemonSet): DaemonSet {
  ds.apiVersion ??= 'apps/v1';
  ds.kind ??= 'DaemonSet';
  const spec = (ds.spec ??= { template: {} });
  if (typeof spec !== 'object') return ds;
  const us = (spec.updateStrategy ??= {});
  us.type ||= 'RollingUpdate';
  if (us.type === 'RollingUpdate') {
    us.rollingUpdate ??= {};
    us.rollingUpdate.maxUnavailable ??= 1;
    us.rollingUpdate.maxSurge ??= 0;
  }
  spec.revisionHistoryLimit ??= 10;
  setDefaultsPodTemplate(spec.template);
  return ds;
}

export function setDefaultsControllerRevision(cr: ControllerRevision): ControllerRevision {
  cr.apiVersion ??= 'apps/v1';
  cr.kind ??= 'ControllerRevision';
  return cr;
}
