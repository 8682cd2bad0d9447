// What configMap, secret, downwardAPI and projected volumes contain: file path → bytes + mode, built
// from the referenced objects with upstream's items/defaultMode/optional rules and error wording.
import type {
  ConfigMap,
  ConfigMapVolumeSource,
  DownwardAPIVolumeFile,
  KeyToPath,
  Pod,
  ProjectedVolumeSource,
  ResourceList,
  Secret,
  SecretVolumeSource,
} from '../../api/core/v1/types.js';
import { extractFieldPathAsString } from '../field_path.js';
import { resourceFieldValue } from '../resource_field.js';
import type { FileProjection, Payload } from './atomic_writer.js';
import type { ObjectSource } from './types.js';

/** 0644, the API default for defaultMode (420 decimal). */
export const defaultVolumeMode = 0o644;

/** Upstream's error aggregate: one message as is, several as `[a, b]`. */
export function aggregateErrors(errs: Error[]): Error | undefined {
  const msgs = [...new Set(errs.map((e) => e.message))];
  if (msgs.length === 0) return undefined;
  return new Error(msgs.length === 1 ? msgs[0] : `[${msgs.join(', ')}]`);
}

function b64(s: string): Buffer {
  return Buffer.from(s, 'base64');
}

export function configMapPayload(items: KeyToPath[] | undefined, cm: ConfigMap, defaultMode: number, optional: boolean): Payload {
  const payload: Payload = new Map();
  const data = cm.data ?? {};
  const binary = cm.binaryData ?? {};
  if (!items || items.length === 0) {
    for (const [k, v] of Object.entries(data)) payload.set(k, { data: Buffer.from(v, 'utf8'), mode: defaultMode });
    for (const [k, v] of Object.entries(binary)) payload.set(k, { data: b64(v), mode: defaultMode });
    return payload;
  }
  for (const item of items) {
    let bytes: Buffer;
    if (Object.prototype.hasOwnProperty.call(data, item.key)) bytes = Buffer.from(data[item.key]!, 'utf8');
    else if (Object.prototype.hasOwnProperty.call(binary, item.key)) bytes = b64(binary[item.key]!);
    else if (optional) continue;
    else throw new Error(`configmap references non-existent config key: ${item.key}`);
    payload.set(item.path, { data: bytes, mode: item.mode ?? defaultMode });
  }
  return payload;
}

export function secretPayload(items: KeyToPath[] | undefined, secret: Secret, defaultMode: number, optional: boolean): Payload {
  const payload: Payload = new Map();
  const data = secret.data ?? {};
  if (!items || items.length === 0) {
    for (const [k, v] of Object.entries(data)) payload.set(k, { data: b64(v), mode: defaultMode });
    return payload;
  }
  for (const item of items) {
    if (!Object.prototype.hasOwnProperty.call(data, item.key)) {
      if (optional) continue;
      throw new Error(`references non-existent secret key: ${item.key}`);
    }
    payload.set(item.path, { data: b64(data[item.key]!), mode: item.mode ?? defaultMode });
  }
  return payload;
}

/** Downward API files (upstream CollectData); every failing item is reported in one aggregate error. */
export function downwardAPIPayload(items: DownwardAPIVolumeFile[] | undefined, pod: Pod, defaultMode: number, allocatable: ResourceList): Payload {
  const payload: Payload = new Map();
  const errs: Error[] = [];
  for (const item of items ?? []) {
    const f: FileProjection = { data: Buffer.alloc(0), mode: item.mode ?? defaultMode };
    try {
      if (item.fieldRef) f.data = Buffer.from(extractFieldPathAsString(pod, item.fieldRef.fieldPath), 'utf8');
      else if (item.resourceFieldRef) f.data = Buffer.from(resourceFieldValue(item.resourceFieldRef, pod, allocatable), 'utf8');
    } catch (e) {
      errs.push(e as Error);
    }
    payload.set(item.path, f);
  }
  const err = aggregateErrors(errs);
  if (err) throw err;
  return payload;
}

async function fetchConfigMap(source: ObjectSource, ns: string, name: string, optional: boolean): Promise<ConfigMap> {
  const cm = await source.getConfigMap(ns, name);
  if (cm) return cm;
  if (optional) return { metadata: { name, namespace: ns } };
  throw new Error(`configmap "${name}" not found`);
}

async function fetchSecret(source: ObjectSource, ns: string, name: string, optional: boolean): Promise<Secret> {
  const s = await source.getSecret(ns, name);
  if (s) return s;
  if (optional) return { metadata: { name, namespace: ns } };
  throw new Error(`secret "${name}" not found`);
}

export async function configMapVolumePayload(pod: Pod, src: ConfigMapVolumeSource, source: ObjectSource): Promise<Payload> {
  const optional = src.optional === true;
  const cm = await fetchConfigMap(source, pod.metadata.namespace ?? 'default', src.name ?? '', optional);
  return configMapPayload(src.items, cm, src.defaultMode ?? defaultVolumeMode, optional);
}

export async function secretVolumePayload(pod: Pod, src: SecretVolumeSource, source: ObjectSource): Promise<Payload> {
  const optional = src.optional === true;
  const s = await fetchSecret(source, pod.metadata.namespace ?? 'default', src.secretName ?? '', optional);
  return secretPayload(src.items, s, src.defaultMode ?? defaultVolumeMode, optional);
}

/** All sources of a projected volume merged in order (later paths win); errors aggregated. */
export async function projectedPayload(pod: Pod, src: ProjectedVolumeSource, source: ObjectSource, allocatable: ResourceList): Promise<Payload> {
  const ns = pod.metadata.namespace ?? 'default';
  const mode = src.defaultMode ?? defaultVolumeMode;
  const payload: Payload = new Map();
  const errs: Error[] = [];
  const merge = (p: Payload): void => {
    for (const [k, v] of p) payload.set(k, v);
  };
  for (const s of src.sources ?? []) {
    try {
      if (s.secret) {
        const optional = s.secret.optional === true;
        merge(secretPayload(s.secret.items, await fetchSecret(source, ns, s.secret.name ?? '', optional), mode, optional));
      } else if (s.configMap) {
        const optional = s.configMap.optional === true;
        merge(configMapPayload(s.configMap.items, await fetchConfigMap(source, ns, s.configMap.name ?? '', optional), mode, optional));
      } else if (s.downwardAPI) {
        merge(downwardAPIPayload(s.downwardAPI.items, pod, mode, allocatable));
      } else if (s.serviceAccountToken && source.getServiceAccountToken) {
        let token: string;
        try {
          token = await source.getServiceAccountToken(pod, s.serviceAccountToken);
        } catch (e) {
          throw new Error(`failed to fetch token: ${(e as Error).message}`);
        }
        payload.set(s.serviceAccountToken.path, { data: Buffer.from(token, 'utf8'), mode });
      } else if (s.clusterTrustBundle) {
        // TODO: ClusterTrustBundles are not served by k8ts yet; the source is skipped.
      }
    } catch (e) {
      errs.push(e as Error);
    }
  }
  const err = aggregateErrors(errs);
  if (err) throw err;
  return payload;
}
