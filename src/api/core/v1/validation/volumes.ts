// Pod volume validation: unique DNS-1123 names, exactly one source per volume, and per-source rules
// (hostPath, emptyDir, secret, configMap, downwardAPI, projected, persistentVolumeClaim, ...).
import { fieldErr } from '../../../errors.js';
import { isConfigMapKey } from '../../../names.js';
import { type Causes, validateDNS1123Label, validateQualifiedName } from '../../../validation/field.js';
import { volumeSourceNames } from '../defaults.js';
import type { DownwardAPIVolumeFile, KeyToPath, ObjectFieldSelector, ResourceFieldSelector, Volume } from '../types.js';
import { validateQuantity } from './resources.js';

export const validVolumeDownwardAPIFieldPaths = ['metadata.annotations', 'metadata.labels', 'metadata.name', 'metadata.namespace', 'metadata.uid'];
export const validEnvDownwardAPIFieldPaths = [
  'metadata.name',
  'metadata.namespace',
  'metadata.uid',
  'spec.nodeName',
  'spec.serviceAccountName',
  'status.hostIP',
  'status.hostIPs',
  'status.podIP',
  'status.podIPs',
];
export const validContainerResourceFieldPaths = [
  'limits.cpu',
  'limits.ephemeral-storage',
  'limits.memory',
  'requests.cpu',
  'requests.ephemeral-storage',
  'requests.memory',
];

const hostPathTypes = ['', 'BlockDevice', 'CharDevice', 'Directory', 'DirectoryOrCreate', 'File', 'FileOrCreate', 'Socket'];

/** Relative path with no '..' element (subPath, items[].path). */
export function validateLocalDescendingPath(p: string, field: string): Causes {
  const out: Causes = [];
  if (p.startsWith('/')) out.push(fieldErr.invalid(field, p, 'must be a relative path'));
  if (p.split(/[\\/]/).includes('..')) out.push(fieldErr.invalid(field, p, "must not contain '..'"));
  return out;
}

export function validateLocalNonReservedPath(p: string, field: string): Causes {
  const out = validateLocalDescendingPath(p, field);
  if (p.startsWith('..')) out.push(fieldErr.invalid(field, p, "must not start with '..'"));
  return out;
}

function validateMode(mode: unknown, field: string): Causes {
  if (mode === undefined || mode === null) return [];
  if (typeof mode !== 'number' || !Number.isInteger(mode) || mode < 0 || mode > 0o777) {
    return [fieldErr.invalid(field, mode, 'must be a number between 0 and 0777 (octal), both inclusive')];
  }
  return [];
}

function validateKeyToPaths(items: KeyToPath[] | undefined, field: string): Causes {
  const out: Causes = [];
  (items ?? []).forEach((it, i) => {
    const p = `${field}[${i}]`;
    if (!it.key) out.push(fieldErr.required(`${p}.key`));
    if (!it.path) out.push(fieldErr.required(`${p}.path`));
    else out.push(...validateLocalNonReservedPath(it.path, `${p}.path`));
    out.push(...validateMode(it.mode, `${p}.mode`));
  });
  return out;
}

/** fieldRef of env vars or downwardAPI files; `valid` lists the supported fieldPaths. */
export function validateObjectFieldSelector(fs: ObjectFieldSelector, valid: string[], field: string): Causes {
  if (!fs.apiVersion) return [fieldErr.required(`${field}.apiVersion`)];
  if (!fs.fieldPath) return [fieldErr.required(`${field}.fieldPath`)];
  if (fs.apiVersion !== 'v1') {
    return [fieldErr.invalid(`${field}.fieldPath`, fs.fieldPath, `error converting fieldPath: unsupported pod version: ${fs.apiVersion}`)];
  }
  const m = /^(metadata\.(?:labels|annotations))\['(.*)'\]$/.exec(fs.fieldPath) ?? /^([^[]+)\[(.*)\]$/.exec(fs.fieldPath);
  if (m) {
    const [, path, sub] = m as unknown as [string, string, string];
    if (path === 'metadata.annotations') return validateQualifiedName(sub.toLowerCase(), field);
    if (path === 'metadata.labels') return validateQualifiedName(sub, field);
    return [fieldErr.invalid(field, path, 'does not support subscript')];
  }
  if (!valid.includes(fs.fieldPath)) return [fieldErr.notSupported(`${field}.fieldPath`, fs.fieldPath, [...valid].sort())];
  return [];
}

const cpuDivisors = ['1m', '1'];
const memoryDivisors = ['1', '1k', '1M', '1G', '1T', '1P', '1E', '1Ki', '1Mi', '1Gi', '1Ti', '1Pi', '1Ei'];

export function validateResourceFieldSelector(rf: ResourceFieldSelector, field: string, containerNameRequired: boolean): Causes {
  const out: Causes = [];
  if (containerNameRequired && !rf.containerName) out.push(fieldErr.required(`${field}.containerName`));
  if (!rf.resource) {
    out.push(fieldErr.required(`${field}.resource`));
    return out;
  }
  if (!validContainerResourceFieldPaths.includes(rf.resource) && !/^(limits|requests)\.hugepages-/.test(rf.resource)) {
    out.push(fieldErr.notSupported(`${field}.resource`, rf.resource, validContainerResourceFieldPaths));
    return out;
  }
  if (rf.divisor !== undefined && rf.divisor !== null) {
    const errs: Causes = [];
    const q = validateQuantity(rf.divisor, `${field}.divisor`, errs);
    out.push(...errs);
    if (q && !q.isZero()) {
      const s = q.toString();
      if (rf.resource.endsWith('.cpu') && !cpuDivisors.includes(s)) {
        out.push(fieldErr.invalid(`${field}.divisor`, s, "only divisor's values 1m and 1 are supported with the cpu resource"));
      } else if (!rf.resource.endsWith('.cpu') && !memoryDivisors.includes(s)) {
        const kind = rf.resource.split('.')[1];
        out.push(fieldErr.invalid(`${field}.divisor`, s, `only divisor's values ${memoryDivisors.join(', ')} are supported with the ${kind} resource`));
      }
    }
  }
  return out;
}

function validateDownwardAPIFiles(items: DownwardAPIVolumeFile[] | undefined, field: string): Causes {
  const out: Causes = [];
  (items ?? []).forEach((it, i) => {
    const p = `${field}[${i}]`;
    if (!it.path) out.push(fieldErr.required(`${p}.path`));
    else out.push(...validateLocalNonReservedPath(it.path, `${p}.path`));
    out.push(...validateMode(it.mode, `${p}.mode`));
    if (it.fieldRef && it.resourceFieldRef) {
      out.push(fieldErr.invalid(p, 'resource', 'fieldRef and resourceFieldRef can not be specified simultaneously'));
    } else if (it.fieldRef) {
      out.push(...validateObjectFieldSelector(it.fieldRef, validVolumeDownwardAPIFieldPaths, `${p}.fieldRef`));
    } else if (it.resourceFieldRef) {
      out.push(...validateResourceFieldSelector(it.resourceFieldRef, `${p}.resourceFieldRef`, true));
    } else {
      out.push(fieldErr.required(p, 'one of fieldRef and resourceFieldRef is required'));
    }
  });
  return out;
}

function validateVolumeSource(v: Volume, field: string): Causes {
  const out: Causes = [];
  const sources = volumeSourceNames(v);
  if (sources.length === 0) {
    out.push(fieldErr.required(field, 'must specify a volume type'));
    return out;
  }
  for (const extra of sources.slice(1)) out.push(fieldErr.forbidden(`${field}.${extra}`, 'may not specify more than 1 volume type'));
  if (v.hostPath) {
    const p = `${field}.hostPath`;
    if (!v.hostPath.path) out.push(fieldErr.required(`${p}.path`));
    else if (v.hostPath.path.split('/').includes('..')) out.push(fieldErr.invalid(`${p}.path`, v.hostPath.path, "must not contain '..'"));
    if (v.hostPath.type !== undefined && !hostPathTypes.includes(v.hostPath.type)) out.push(fieldErr.notSupported(`${p}.type`, v.hostPath.type, hostPathTypes));
  }
  if (v.emptyDir) {
    const p = `${field}.emptyDir`;
    const media = ['', 'Memory', 'HugePages'];
    if (v.emptyDir.medium !== undefined && !media.includes(v.emptyDir.medium) && !String(v.emptyDir.medium).startsWith('HugePages-')) {
      out.push(fieldErr.notSupported(`${p}.medium`, v.emptyDir.medium, media));
    }
    if (v.emptyDir.sizeLimit !== undefined) validateQuantity(v.emptyDir.sizeLimit, `${p}.sizeLimit`, out);
  }
  if (v.secret) {
    const p = `${field}.secret`;
    if (!v.secret.secretName) out.push(fieldErr.required(`${p}.secretName`));
    out.push(...validateMode(v.secret.defaultMode, `${p}.defaultMode`));
    out.push(...validateKeyToPaths(v.secret.items, `${p}.items`));
  }
  if (v.configMap) {
    const p = `${field}.configMap`;
    if (!v.configMap.name) out.push(fieldErr.required(`${p}.name`));
    out.push(...validateMode(v.configMap.defaultMode, `${p}.defaultMode`));
    out.push(...validateKeyToPaths(v.configMap.items, `${p}.items`));
  }
  if (v.downwardAPI) {
    const p = `${field}.downwardAPI`;
    out.push(...validateMode(v.downwardAPI.defaultMode, `${p}.defaultMode`));
    out.push(...validateDownwardAPIFiles(v.downwardAPI.items, `${p}.items`));
  }
  if (v.projected) {
    const p = `${field}.projected`;
    out.push(...validateMode(v.projected.defaultMode, `${p}.defaultMode`));
    const paths = new Set<string>();
    (v.projected.sources ?? []).forEach((s, i) => {
      const sp = `${p}.sources[${i}]`;
      const kinds = (['secret', 'configMap', 'downwardAPI', 'serviceAccountToken', 'clusterTrustBundle'] as const).filter((k) => s[k]);
      if (kinds.length === 0)
        out.push(fieldErr.required(sp, 'must specify exactly 1 of: secret, configMap, downwardAPI, serviceAccountToken, clusterTrustBundle'));
      for (const k of kinds.slice(1)) out.push(fieldErr.forbidden(`${sp}.${k}`, 'may not specify more than 1 volume type per source'));
      if (s.secret) out.push(...validateKeyToPaths(s.secret.items, `${sp}.secret.items`));
      if (s.configMap) out.push(...validateKeyToPaths(s.configMap.items, `${sp}.configMap.items`));
      if (s.downwardAPI) out.push(...validateDownwardAPIFiles(s.downwardAPI.items, `${sp}.downwardAPI.items`));
      const sat = s.serviceAccountToken;
      if (sat) {
        const tp = `${sp}.serviceAccountToken`;
        if (sat.expirationSeconds !== undefined && sat.expirationSeconds < 600) {
          out.push(fieldErr.invalid(`${tp}.expirationSeconds`, sat.expirationSeconds, 'may not specify a duration less than 10 minutes'));
        }
        if (!sat.path) out.push(fieldErr.required(`${tp}.path`));
        else out.push(...validateLocalNonReservedPath(sat.path, `${tp}.path`));
      }
      const collect = [
        ...(s.secret?.items ?? []).map((x) => x.path),
        ...(s.configMap?.items ?? []).map((x) => x.path),
        ...(s.downwardAPI?.items ?? []).map((x) => x.path),
        ...(sat?.path ? [sat.path] : []),
      ];
      for (const cp of collect) {
        if (!cp) continue;
        if (paths.has(cp)) out.push(fieldErr.invalid(sp, cp, 'conflicting duplicate paths'));
        paths.add(cp);
      }
    });
  }
  if (v.persistentVolumeClaim) {
    const p = `${field}.persistentVolumeClaim`;
    if (!v.persistentVolumeClaim.claimName) out.push(fieldErr.required(`${p}.claimName`));
  }
  if (v.nfs) {
    const p = `${field}.nfs`;
    if (!v.nfs.server) out.push(fieldErr.required(`${p}.server`));
    if (!v.nfs.path) out.push(fieldErr.required(`${p}.path`));
    else if (!v.nfs.path.startsWith('/')) out.push(fieldErr.invalid(`${p}.path`, v.nfs.path, 'must be an absolute path'));
  }
  return out;
}

/** Validates spec.volumes; returns the causes and the set of declared volume names. */
export function validateVolumes(volumes: Volume[] | undefined, field: string): { causes: Causes; names: Set<string> } {
  const causes: Causes = [];
  const names = new Set<string>();
  (volumes ?? []).forEach((v, i) => {
    const p = `${field}[${i}]`;
    causes.push(...validateVolumeSource(v, p));
    if (!v.name) causes.push(fieldErr.required(`${p}.name`));
    else causes.push(...validateDNS1123Label(v.name, `${p}.name`));
    if (names.has(v.name)) causes.push(fieldErr.duplicate(`${p}.name`, v.name));
    else if (v.name) names.add(v.name);
  });
  return { causes, names };
}

/** Used by env valueFrom: configMapKeyRef/secretKeyRef keys. */
export function validateKeySelector(sel: { name?: string; key?: string }, field: string): Causes {
  const out: Causes = [];
  if (!sel.name) out.push(fieldErr.required(`${field}.name`));
  if (!sel.key) out.push(fieldErr.required(`${field}.key`));
  else for (const m of isConfigMapKey(sel.key)) out.push(fieldErr.invalid(`${field}.key`, sel.key, m));
  return out;
}
