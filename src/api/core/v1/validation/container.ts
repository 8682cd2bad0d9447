// Container validation (app, init, ephemeral): names, image, ports, env/envFrom, volume mounts,
// resources, probes, lifecycle hooks, pull/termination-message policies, per-container restartPolicy.
import { fieldErr } from '../../../errors.js';
import { isEnvVarName, isValidPortName, isValidPortNum, isDNS1123Label } from '../../../names.js';
import { type Causes, moreFieldErr, validateNonnegative } from '../../../validation/field.js';
import type { Container, ContainerPort, EphemeralContainer, EnvFromSource, EnvVar, Lifecycle, LifecycleHandler, Probe, VolumeMount } from '../types.js';
import { validateResourceRequirements } from './resources.js';
import {
  validateKeySelector,
  validateLocalDescendingPath,
  validateObjectFieldSelector,
  validateResourceFieldSelector,
  validEnvDownwardAPIFieldPaths,
} from './volumes.js';

export type ContainerKind = 'container' | 'init' | 'ephemeral';

const pullPolicies = ['Always', 'IfNotPresent', 'Never'];
const terminationMessagePolicies = ['File', 'FallbackToLogsOnError'];
const protocols = ['SCTP', 'TCP', 'UDP'];
const propagationModes = ['Bidirectional', 'HostToContainer', 'None'];

export function validateContainerPorts(ports: ContainerPort[] | undefined, field: string): Causes {
  const out: Causes = [];
  const names = new Set<string>();
  (ports ?? []).forEach((port, i) => {
    const p = `${field}[${i}]`;
    if (port.name) {
      const msgs = isValidPortName(port.name);
      if (msgs.length) for (const m of msgs) out.push(fieldErr.invalid(`${p}.name`, port.name, m));
      else if (names.has(port.name)) out.push(fieldErr.duplicate(`${p}.name`, port.name));
      else names.add(port.name);
    }
    if (!port.containerPort) out.push(fieldErr.required(`${p}.containerPort`));
    else for (const m of isValidPortNum(port.containerPort)) out.push(fieldErr.invalid(`${p}.containerPort`, port.containerPort, m));
    if (port.hostPort) for (const m of isValidPortNum(port.hostPort)) out.push(fieldErr.invalid(`${p}.hostPort`, port.hostPort, m));
    if (!port.protocol) out.push(fieldErr.required(`${p}.protocol`));
    else if (!protocols.includes(port.protocol)) out.push(fieldErr.notSupported(`${p}.protocol`, port.protocol, protocols));
  });
  return out;
}

export function validateEnv(env: EnvVar[] | undefined, field: string): Causes {
  const out: Causes = [];
  (env ?? []).forEach((ev, i) => {
    const p = `${field}[${i}]`;
    if (!ev.name) out.push(fieldErr.required(`${p}.name`));
    else for (const m of isEnvVarName(ev.name)) out.push(fieldErr.invalid(`${p}.name`, ev.name, m));
    const vf = ev.valueFrom;
    if (!vf) return;
    const vp = `${p}.valueFrom`;
    let n = 0;
    if (vf.fieldRef) {
      n++;
      out.push(...validateObjectFieldSelector(vf.fieldRef, validEnvDownwardAPIFieldPaths, `${vp}.fieldRef`));
    }
    if (vf.resourceFieldRef) {
      n++;
      out.push(...validateResourceFieldSelector(vf.resourceFieldRef, `${vp}.resourceFieldRef`, false));
    }
    if (vf.configMapKeyRef) {
      n++;
      out.push(...validateKeySelector(vf.configMapKeyRef, `${vp}.configMapKeyRef`));
    }
    if (vf.secretKeyRef) {
      n++;
      out.push(...validateKeySelector(vf.secretKeyRef, `${vp}.secretKeyRef`));
    }
    if (n === 0) out.push(fieldErr.invalid(vp, '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'));
    else if (ev.value) out.push(fieldErr.invalid(vp, '', 'may not be specified when `value` is not empty'));
    else if (n > 1) out.push(fieldErr.invalid(vp, '', 'may not have more than one field specified at a time'));
  });
  return out;
}

export function validateEnvFrom(envFrom: EnvFromSource[] | undefined, field: string): Causes {
  const out: Causes = [];
  (envFrom ?? []).forEach((ef, i) => {
    const p = `${field}[${i}]`;
    if (ef.prefix) for (const m of isEnvVarName(ef.prefix)) out.push(fieldErr.invalid(`${p}.prefix`, ef.prefix, m));
    let n = 0;
    if (ef.configMapRef) {
      n++;
      if (!ef.configMapRef.name) out.push(fieldErr.required(`${p}.configMapRef.name`));
    }
    if (ef.secretRef) {
      n++;
      if (!ef.secretRef.name) out.push(fieldErr.required(`${p}.secretRef.name`));
    }
    if (n === 0) out.push(fieldErr.invalid(p, '', 'must specify one of: `configMapRef` or `secretRef`'));
    else if (n > 1) out.push(fieldErr.invalid(p, '', 'may not have more than one field specified at a time'));
  });
  return out;
}

export function validateVolumeMounts(mounts: VolumeMount[] | undefined, volumes: Set<string>, privileged: boolean, field: string): Causes {
  const out: Causes = [];
  const mountPoints = new Set<string>();
  (mounts ?? []).forEach((m, i) => {
    const p = `${field}[${i}]`;
    if (!m.name) out.push(fieldErr.required(`${p}.name`));
    if (!volumes.has(m.name)) out.push({ reason: 'FieldValueNotFound', field: `${p}.name`, message: `Not found: ${JSON.stringify(m.name ?? '')}` });
    if (!m.mountPath) out.push(fieldErr.required(`${p}.mountPath`));
    else if (mountPoints.has(m.mountPath)) out.push(fieldErr.invalid(`${p}.mountPath`, m.mountPath, 'must be unique'));
    if (m.mountPath) mountPoints.add(m.mountPath);
    if (m.subPath) out.push(...validateLocalDescendingPath(m.subPath, `${p}.subPath`));
    if (m.subPathExpr) {
      if (m.subPath) out.push(fieldErr.invalid(`${p}.subPathExpr`, m.subPathExpr, 'subPathExpr and subPath are mutually exclusive'));
      out.push(...validateLocalDescendingPath(m.subPathExpr, `${p}.subPathExpr`));
    }
    if (m.mountPropagation !== undefined) {
      if (!propagationModes.includes(m.mountPropagation)) out.push(fieldErr.notSupported(`${p}.mountPropagation`, m.mountPropagation, propagationModes));
      else if (m.mountPropagation === 'Bidirectional' && !privileged)
        out.push(fieldErr.forbidden(`${p}.mountPropagation`, 'Bidirectional mount propagation is available only to privileged containers'));
    }
  });
  return out;
}

function validatePortRef(port: unknown, field: string): Causes {
  if (typeof port === 'number') return isValidPortNum(port).map((m) => fieldErr.invalid(field, port, m));
  if (typeof port === 'string') {
    if (/^[0-9]+$/.test(port)) return isValidPortNum(Number(port)).map((m) => fieldErr.invalid(field, port, m));
    return isValidPortName(port).map((m) => fieldErr.invalid(field, port, m));
  }
  return [fieldErr.required(field)];
}

type AnyHandler = Probe | LifecycleHandler;

function validateHandler(h: AnyHandler, field: string, allowSleep: boolean, gracePeriod: number | undefined): Causes {
  const out: Causes = [];
  const kinds = (['exec', 'httpGet', 'tcpSocket', 'grpc', 'sleep'] as const).filter(
    (k) => (h as Record<string, unknown>)[k] !== undefined && (h as Record<string, unknown>)[k] !== null,
  );
  if (kinds.length === 0) return [fieldErr.required(field, 'must specify a handler type')];
  for (const k of kinds.slice(1)) out.push(fieldErr.forbidden(`${field}.${k}`, 'may not specify more than 1 handler type'));
  const hh = h as Probe & LifecycleHandler;
  if (hh.exec && (!hh.exec.command || hh.exec.command.length === 0)) out.push(fieldErr.required(`${field}.exec.command`));
  if (hh.httpGet) {
    const p = `${field}.httpGet`;
    if (!hh.httpGet.path) out.push(fieldErr.required(`${p}.path`));
    out.push(...validatePortRef(hh.httpGet.port, `${p}.port`));
    if (hh.httpGet.scheme !== undefined && !['HTTP', 'HTTPS'].includes(hh.httpGet.scheme))
      out.push(fieldErr.notSupported(`${p}.scheme`, hh.httpGet.scheme, ['HTTP', 'HTTPS']));
    (hh.httpGet.httpHeaders ?? []).forEach((hd, i) => {
      if (!hd.name || !/^[-!#$%&'*+.^_`|~0-9A-Za-z]+$/.test(hd.name))
        out.push(fieldErr.invalid(`${p}.httpHeaders[${i}].name`, hd.name ?? '', 'must be a valid HTTP header name'));
    });
  }
  if (hh.tcpSocket) out.push(...validatePortRef(hh.tcpSocket.port, `${field}.tcpSocket.port`));
  if (hh.grpc) {
    for (const m of isValidPortNum(hh.grpc.port)) out.push(fieldErr.invalid(`${field}.grpc.port`, hh.grpc.port, m));
  }
  if (hh.sleep) {
    if (!allowSleep) out.push(fieldErr.forbidden(`${field}.sleep`, 'may not be set for probes'));
    const s = hh.sleep.seconds;
    if (typeof s !== 'number' || s < 0 || (gracePeriod !== undefined && s > gracePeriod)) {
      out.push(fieldErr.invalid(`${field}.sleep.seconds`, s ?? 0, `must be non-negative and less than terminationGracePeriodSeconds (${gracePeriod ?? 30})`));
    }
  }
  return out;
}

export function validateProbe(probe: Probe | undefined, field: string): Causes {
  if (!probe) return [];
  const out = validateHandler(probe, field, false, undefined);
  out.push(...validateNonnegative(probe.initialDelaySeconds, `${field}.initialDelaySeconds`));
  for (const k of ['timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold'] as const) {
    const v = probe[k];
    const errs = validateNonnegative(v, `${field}.${k}`);
    if (errs.length) out.push(...errs);
    else if (v === 0) out.push(fieldErr.invalid(`${field}.${k}`, v, 'must be greater than 0'));
  }
  const tgp = probe.terminationGracePeriodSeconds;
  if (tgp !== undefined && tgp !== null && !(tgp > 0)) out.push(fieldErr.invalid(`${field}.terminationGracePeriodSeconds`, tgp, 'must be greater than 0'));
  return out;
}

function validateLifecycle(lc: Lifecycle | undefined, field: string, gracePeriod: number | undefined): Causes {
  if (!lc) return [];
  const out: Causes = [];
  if (lc.postStart) out.push(...validateHandler(lc.postStart, `${field}.postStart`, true, gracePeriod));
  if (lc.preStop) out.push(...validateHandler(lc.preStop, `${field}.preStop`, true, gracePeriod));
  return out;
}

export interface ContainerContext {
  volumes: Set<string>;
  /** Container names seen so far across init, app and ephemeral containers (for duplicates). */
  allNames: Set<string>;
  gracePeriod?: number;
  /** Names of the init and app containers, which an ephemeral container's targetContainerName may name. */
  targets?: Set<string>;
}

/** Validates one container at `field` (e.g. "spec.containers[0]"). */
export function validateContainer(c: Container, kind: ContainerKind, ctx: ContainerContext, field: string): Causes {
  const out: Causes = [];
  if (!c || typeof c !== 'object') return [fieldErr.required(field)];
  if (!c.name) out.push(fieldErr.required(`${field}.name`));
  else {
    for (const m of isDNS1123Label(c.name)) out.push(fieldErr.invalid(`${field}.name`, c.name, m));
    if (ctx.allNames.has(c.name)) out.push(fieldErr.duplicate(`${field}.name`, c.name));
    else ctx.allNames.add(c.name);
  }
  if (!c.image) out.push(fieldErr.required(`${field}.image`));
  else if (c.image !== c.image.trim()) out.push(fieldErr.invalid(`${field}.image`, c.image, 'must not have leading or trailing whitespace'));
  if (!c.imagePullPolicy) out.push(fieldErr.required(`${field}.imagePullPolicy`));
  else if (!pullPolicies.includes(c.imagePullPolicy)) out.push(fieldErr.notSupported(`${field}.imagePullPolicy`, c.imagePullPolicy, pullPolicies));
  if (!c.terminationMessagePolicy) out.push(fieldErr.required(`${field}.terminationMessagePolicy`));
  else if (!terminationMessagePolicies.includes(c.terminationMessagePolicy))
    out.push(fieldErr.notSupported(`${field}.terminationMessagePolicy`, c.terminationMessagePolicy, terminationMessagePolicies));

  if (kind === 'ephemeral') {
    // Not relied upon for the pod's service: no ports, probes, hooks, resources, restart policy, subPaths.
    for (const k of ['ports', 'livenessProbe', 'readinessProbe', 'startupProbe', 'lifecycle', 'resizePolicy', 'restartPolicy'] as const) {
      const v = c[k];
      if (v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0))
        out.push(fieldErr.forbidden(`${field}.${k}`, 'cannot be set for an Ephemeral Container'));
    }
    if (c.resources && (Object.keys(c.resources.limits ?? {}).length || Object.keys(c.resources.requests ?? {}).length))
      out.push(fieldErr.forbidden(`${field}.resources`, 'cannot be set for an Ephemeral Container'));
    (c.volumeMounts ?? []).forEach((m, i) => {
      for (const k of ['subPath', 'subPathExpr'] as const)
        if (m?.[k]) out.push(fieldErr.forbidden(`${field}.volumeMounts[${i}].${k}`, 'cannot be set for an Ephemeral Container'));
    });
    const target = (c as EphemeralContainer).targetContainerName;
    if (target && !ctx.targets?.has(target)) out.push(moreFieldErr.notFound(`${field}.targetContainerName`, target));
  }
  out.push(...validateContainerPorts(c.ports, `${field}.ports`));
  out.push(...validateEnv(c.env, `${field}.env`));
  out.push(...validateEnvFrom(c.envFrom, `${field}.envFrom`));
  out.push(...validateVolumeMounts(c.volumeMounts, ctx.volumes, !!c.securityContext?.privileged, `${field}.volumeMounts`));
  out.push(...validateResourceRequirements(c.resources, `${field}.resources`));

  const sidecar = kind === 'init' && c.restartPolicy === 'Always';
  if (kind === 'init') {
    if (c.restartPolicy !== undefined && c.restartPolicy !== 'Always') out.push(fieldErr.notSupported(`${field}.restartPolicy`, c.restartPolicy, ['Always']));
    if (!sidecar) {
      for (const k of ['lifecycle', 'livenessProbe', 'readinessProbe', 'startupProbe'] as const) {
        if (c[k] !== undefined && c[k] !== null)
          out.push(fieldErr.forbidden(`${field}.${k}`, 'may not be set for init containers without restartPolicy=Always'));
      }
    }
  } else if (kind === 'container' && c.restartPolicy !== undefined && c.restartPolicy !== null) {
    out.push(fieldErr.forbidden(`${field}.restartPolicy`, 'may not be set for non-init containers'));
  }
  if (kind === 'container' || sidecar) {
    out.push(...validateLifecycle(c.lifecycle, `${field}.lifecycle`, ctx.gracePeriod));
    out.push(...validateProbe(c.livenessProbe, `${field}.livenessProbe`));
    out.push(...validateProbe(c.readinessProbe, `${field}.readinessProbe`));
    out.push(...validateProbe(c.startupProbe, `${field}.startupProbe`));
    for (const k of ['livenessProbe', 'startupProbe'] as const) {
      const st = c[k]?.successThreshold;
      if (st !== undefined && st !== 1 && st > 0) out.push(fieldErr.invalid(`${field}.${k}.successThreshold`, st, 'must be 1'));
    }
  }
  const sc = c.securityContext;
  if (sc) {
    for (const k of ['runAsUser', 'runAsGroup'] as const) {
      const v = sc[k];
      if (v !== undefined && (!Number.isInteger(v) || v < 0 || v > 2147483647))
        out.push(fieldErr.invalid(`${field}.securityContext.${k}`, v, 'must be between 0 and 2147483647, inclusive'));
    }
    if (sc.privileged && sc.allowPrivilegeEscalation === false)
      out.push(fieldErr.invalid(`${field}.securityContext`, sc, 'cannot set `allowPrivilegeEscalation` to false and `privileged` to true'));
  }
  return out;
}
