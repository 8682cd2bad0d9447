// apps/v1 defaulting (upstream SetDefaults_Deployment / _ReplicaSet), the pod template defaulted as a pod.
import { setDefaultsPodTemplateSpec } from '../../core/v1/defaults.js';
import type { Deployment, ReplicaSet } from './types.js';

export function setDefaultsReplicaSet(rs: ReplicaSet): ReplicaSet {
  rs.apiVersion ??= 'apps/v1';
  rs.kind ??= 'ReplicaSet';
  const spec = (rs.spec ??= {});
  if (spec.replicas === undefined || spec.replicas === null) spec.replicas = 1;
  setDefaultsPodTemplateSpec(spec.template);
  return rs;
}

export function setDefaultsDeployment(d: Deployment): Deployment {
  d.apiVersion ??= 'apps/v1';
  d.kind ??= 'Deployment';
  const spec = (d.spec ??= {});
  if (spec.replicas === undefined || spec.replicas === null) spec.replicas = 1;
  const strategy = (spec.strategy ??= {});
  strategy.type ||= 'RollingUpdate';
  if (strategy.type === 'RollingUpdate') {
    const ru = (strategy.rollingUpdate ??= {});
    if (ru.maxUnavailable === undefined || ru.maxUnavailable === null) ru.maxUnavailable = '25%';
    if (ru.maxSurge === undefined || ru.maxSurge === null) ru.maxSurge = '25%';
  }
  if (spec.revisionHistoryLimit === undefined || spec.revisionHistoryLimit === null) spec.revisionHistoryLimit = 10;
  if (spec.progressDeadlineSeconds === undefined || spec.progressDeadlineSeconds === null) spec.progressDeadlineSeconds = 600;
  setDefaultsPodTemplateSpec(spec.template);
  return d;
}
