// A container's environment as the kubelet builds it: envFrom (ConfigMap/Secret, prefix, optional),
// env values with $(VAR) expansion, valueFrom field/resource/ConfigMap/Secret refs; plus command expansion.
import type { ConfigMap, Container, Pod, ResourceList, Secret } from '../api/core/v1/types.js';
import { isEnvVarName } from '../api/names.js';
import { expand, lookupIn } from './expansion.js';
import { extractFieldPathAsString, splitMaybeSubscriptedPath } from './field_path.js';
import { hostAllocatable, resourceFieldValue } from './resource_field.js';
import { ContainerConfigError, type ObjectSource } from './volumes/types.js';

export type { ObjectSource } from './volumes/types.js';
export { ContainerConfigError } from './volumes/types.js';

export interface EnvContext {
  source: ObjectSource;
  podIP?: string;
  podIPs?: string[];
  hostIP?: string;
  hostIPs?: string[];
  nodeName: string;
  nodeAllocatable?: ResourceList;
  /** When given, warnings (see EnvWarning) are appended here as well. */
  warnings?: EnvWarning[];
  /** Service variables (the `kubernetes` Service's); the container's own env and envFrom win over them. */
  serviceEnv?: Record<string, string>;
}

/** Something worth a Warning event on the pod (reason InvalidEnvironmentVariableNames). */
export interface EnvWarning {
  reason: 'InvalidEnvironmentVariableNames';
  message: string;
}

export interface EnvironmentResult {
  env: Record<string, string>;
  warnings: EnvWarning[];
}

const supportedFieldLabels = new Set([
  'metadata.annotations',
  'metadata.labels',
  'metadata.name',
  'metadata.namespace',
  'metadata.uid',
  'spec.nodeName',
  'spec.restartPolicy',
  'spec.serviceAccountName',
  'spec.schedulerName',
  'status.phase',
  'status.hostIP',
  'status.hostIPs',
  'status.podIP',
  'status.podIPs',
]);

/** Upstream ConvertDownwardAPIFieldLabel: checks version and label, maps the spec.host alias. */
function convertFieldLabel(apiVersion: string | undefined, label: string): string {
  if (apiVersion && apiVersion !== 'v1') throw new ContainerConfigError(`unsupported pod version: ${apiVersion}`);
  const sub = splitMaybeSubscriptedPath(label);
  if (sub && (sub.path === 'metadata.annotations' || sub.path === 'metadata.labels')) return label;
  if (label === 'spec.host') return 'spec.nodeName';
  if (!supportedFieldLabels.has(label)) throw new ContainerConfigError(`field label not supported: ${label}`);
  return label;
}

function podFieldValue(pod: Pod, apiVersion: string | undefined, fieldPath: string, ctx: EnvContext): string {
  const path = convertFieldLabel(apiVersion, fieldPath);
  const podIPs = ctx.podIPs?.length ? ctx.podIPs : ctx.podIP ? [ctx.podIP] : (pod.status?.podIPs ?? []).map((p) => p.ip);
  const podIP = podIPs[0] ?? ctx.podIP ?? pod.status?.podIP ?? '';
  const hostIPs = ctx.hostIPs?.length ? ctx.hostIPs : ctx.hostIP ? [ctx.hostIP] : (pod.status?.hostIPs ?? []).map((h) => h.ip);
  switch (path) {
    case 'spec.nodeName':
      return pod.spec?.nodeName ?? ctx.nodeName;
    case 'spec.serviceAccountName':
      return pod.spec?.serviceAccountName ?? '';
    case 'status.hostIP':
      return hostIPs[0] ?? pod.status?.hostIP ?? '';
    case 'status.hostIPs':
      return hostIPs.join(',');
    case 'status.podIP':
      return podIP;
    case 'status.podIPs':
      return podIPs.join(',');
  }
  try {
    return extractFieldPathAsString(pod, path);
  } catch (e) {
    throw new ContainerConfigError((e as Error).message);
  }
}

function decodeSecretValue(b64: string): string {
  return Buffer.from(b64, 'base64').toString('utf8');
}

/**
 * Builds the container's environment. Order: envFrom variables (sources in order, keys in object order),
 * then env entries in declaration order; a later definition replaces an earlier one and takes its place.
 * Throws ContainerConfigError (CreateContainerConfigError) for missing non-optional references.
 */
export async function makeEnvironmentWithWarnings(pod: Pod, container: Container, ctx: EnvContext): Promise<EnvironmentResult> {
  const ns = pod.metadata.namespace ?? 'default';
  const configMaps = new Map<string, ConfigMap>();
  const secrets = new Map<string, Secret>();
  const env = new Map<string, string>();
  const warnings: EnvWarning[] = [];
  const set = (k: string, v: string): void => {
    env.delete(k);
    env.set(k, v);
  };
  for (const [k, v] of Object.entries(ctx.serviceEnv ?? {})) env.set(k, v);

  const getConfigMap = async (name: string): Promise<ConfigMap | undefined> => {
    let cm = configMaps.get(name);
    if (!cm) {
      cm = await ctx.source.getConfigMap(ns, name);
      if (cm) configMaps.set(name, cm);
    }
    return cm;
  };
  const getSecret = async (name: string): Promise<Secret | undefined> => {
    let s = secrets.get(name);
    if (!s) {
      s = await ctx.source.getSecret(ns, name);
      if (s) secrets.set(name, s);
    }
    return s;
  };

  for (const from of container.envFrom ?? []) {
    const prefix = from.prefix ?? '';
    let entries: Array<[string, string]>;
    let what: string;
    let name: string;
    if (from.configMapRef) {
      name = from.configMapRef.name ?? '';
      what = 'configMap';
      const cm = await getConfigMap(name);
      if (!cm) {
        if (from.configMapRef.optional) continue;
        throw new ContainerConfigError(`configmap "${name}" not found`);
      }
      entries = Object.entries(cm.data ?? {});
    } else if (from.secretRef) {
      name = from.secretRef.name ?? '';
      what = 'secret';
      const s = await getSecret(name);
      if (!s) {
        if (from.secretRef.optional) continue;
        throw new ContainerConfigError(`secret "${name}" not found`);
      }
      entries = Object.entries(s.data ?? {}).map(([k, v]) => [k, decodeSecretValue(v)]);
    } else {
      continue;
    }
    const invalid: string[] = [];
    for (const [key, value] of entries) {
      const k = prefix + key;
      if (isEnvVarName(k).length) {
        invalid.push(k);
        continue;
      }
      set(k, value);
    }
    if (invalid.length) {
      invalid.sort();
      warnings.push({
        reason: 'InvalidEnvironmentVariableNames',
        message: `Keys [${invalid.join(', ')}] from the EnvFrom ${what} ${ns}/${name} were skipped since they are considered invalid environment variable names.`,
      });
    }
  }

  const lookup = lookupIn(env);
  let allocatable: ResourceList | undefined;
  for (const v of container.env ?? []) {
    let value = v.value ?? '';
    if (value !== '') {
      value = expand(value, lookup);
    } else if (v.valueFrom) {
      const src = v.valueFrom;
      if (src.fieldRef) {
        value = podFieldValue(pod, src.fieldRef.apiVersion, src.fieldRef.fieldPath, ctx);
      } else if (src.resourceFieldRef) {
        allocatable ??= ctx.nodeAllocatable ?? hostAllocatable();
        try {
          value = resourceFieldValue(src.resourceFieldRef, pod, allocatable, container);
        } catch (e) {
          throw new ContainerConfigError((e as Error).message);
        }
      } else if (src.configMapKeyRef) {
        const { name = '', key, optional } = src.configMapKeyRef;
        const cm = await getConfigMap(name);
        if (!cm) {
          if (optional) continue;
          throw new ContainerConfigError(`configmap "${name}" not found`);
        }
        const found = cm.data && Object.prototype.hasOwnProperty.call(cm.data, key) ? cm.data[key] : undefined;
        if (found === undefined) {
          if (optional) continue;
          throw new ContainerConfigError(`couldn't find key ${key} in ConfigMap ${ns}/${name}`);
        }
        value = found;
      } else if (src.secretKeyRef) {
        const { name = '', key, optional } = src.secretKeyRef;
        const s = await getSecret(name);
        if (!s) {
          if (optional) continue;
          throw new ContainerConfigError(`secret "${name}" not found`);
        }
        const found = s.data && Object.prototype.hasOwnProperty.call(s.data, key) ? s.data[key] : undefined;
        if (found === undefined) {
          if (optional) continue;
          throw new ContainerConfigError(`couldn't find key ${key} in Secret ${ns}/${name}`);
        }
        value = decodeSecretValue(found);
      }
    }
    set(v.name, value);
  }

  if (ctx.warnings) ctx.warnings.push(...warnings);
  return { env: Object.fromEntries(env), warnings };
}

/** The container's environment as an ordered record (see makeEnvironmentWithWarnings for order and errors). */
export async function makeEnvironment(pod: Pod, container: Container, ctx: EnvContext): Promise<Record<string, string>> {
  return (await makeEnvironmentWithWarnings(pod, container, ctx)).env;
}

/** Expands $(VAR) references in a command or args list against the container's environment. */
export function expandCommand(cmd: string[] | undefined, env: Record<string, string>): string[] {
  const lookup = lookupIn(env);
  return (cmd ?? []).map((c) => expand(c, lookup));
}
