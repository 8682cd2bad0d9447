// ConfigMap and Secret validation: data keys, data/binaryData overlap, 1 MiB total size, Secret type
// rules (service-account-token, dockercfg, dockerconfigjson, basic-auth, ssh-auth, tls), immutability.
import { fieldErr } from '../../../errors.js';
import { isConfigMapKey, nameIsDNSSubdomain } from '../../../names.js';
import type { Causes } from '../../../validation/field.js';
import { validateObjectMeta, validateObjectMetaUpdate } from '../../../validation/object_meta.js';
import type { ConfigMap, Secret } from '../types.js';

/** Upstream MaxSecretSize, also the ConfigMap limit. */
export const MaxSecretSize = 1024 * 1024;

function decodedLength(b64: unknown): number {
  return typeof b64 === 'string' ? Buffer.from(b64, 'base64').length : 0;
}

function isBase64(s: unknown): boolean {
  return typeof s === 'string' && /^[A-Za-z0-9+/]*={0,2}$/.test(s) && s.length % 4 === 0;
}

export function validateConfigMap(cm: ConfigMap): Causes {
  const out = validateObjectMeta(cm.metadata, true, nameIsDNSSubdomain);
  let total = 0;
  const data = cm.data ?? {};
  const bin = cm.binaryData ?? {};
  for (const [k, v] of Object.entries(data)) {
    for (const m of isConfigMapKey(k)) out.push(fieldErr.invalid(`data[${k}]`, k, m));
    if (Object.prototype.hasOwnProperty.call(bin, k)) out.push(fieldErr.invalid(`data[${k}]`, k, 'duplicate of key present in binaryData'));
    if (typeof v !== 'string') out.push(fieldErr.typeInvalid(`data[${k}]`, v, 'must be a string'));
    total += Buffer.byteLength(String(v ?? ''));
  }
  for (const [k, v] of Object.entries(bin)) {
    for (const m of isConfigMapKey(k)) out.push(fieldErr.invalid(`binaryData[${k}]`, k, m));
    if (Object.prototype.hasOwnProperty.call(data, k)) out.push(fieldErr.invalid(`binaryData[${k}]`, k, 'duplicate of key present in data'));
    if (!isBase64(v)) out.push(fieldErr.invalid(`binaryData[${k}]`, '<value omitted>', 'illegal base64 data'));
    total += decodedLength(v);
  }
  if (total > MaxSecretSize) out.push(fieldErr.tooLong('', MaxSecretSize));
  return out;
}

function immutableDataErrors(newImm: boolean | undefined, oldImm: boolean | undefined, dataChanged: boolean): Causes {
  const out: Causes = [];
  if (oldImm) {
    if (!newImm) out.push(fieldErr.forbidden('immutable', 'field is immutable when `immutable` is set'));
    if (dataChanged) out.push(fieldErr.forbidden('data', 'field is immutable when `immutable` is set'));
  }
  return out;
}

const sameJSON = (a: unknown, b: unknown) => JSON.stringify(a ?? {}) === JSON.stringify(b ?? {});

export function validateConfigMapUpdate(cm: ConfigMap, old: ConfigMap): Causes {
  const out = validateObjectMetaUpdate(cm.metadata, old.metadata);
  const changed = !sameJSON(cm.data, old.data) || !sameJSON(cm.binaryData, old.binaryData);
  out.push(...immutableDataErrors(cm.immutable, old.immutable, changed));
  out.push(...validateConfigMap(cm).filter((c) => !c.field?.startsWith('metadata.')));
  return out;
}

export function validateSecret(s: Secret): Causes {
  const out = validateObjectMeta(s.metadata, true, nameIsDNSSubdomain);
  const data = s.data ?? {};
  let total = 0;
  for (const [k, v] of Object.entries(data)) {
    for (const m of isConfigMapKey(k)) out.push(fieldErr.invalid(`data[${k}]`, k, m));
    if (!isBase64(v)) out.push(fieldErr.invalid(`data[${k}]`, '<secret contents redacted>', 'illegal base64 data'));
    total += decodedLength(v);
  }
  if (total > MaxSecretSize) out.push(fieldErr.tooLong('data', MaxSecretSize));
  const has = (k: string) => Object.prototype.hasOwnProperty.call(data, k);
  const decoded = (k: string) => Buffer.from(String(data[k] ?? ''), 'base64').toString('utf8');
  switch (s.type) {
    case 'kubernetes.io/service-account-token':
      if (!s.metadata?.annotations?.['kubernetes.io/service-account.name'])
        out.push(fieldErr.required('metadata.annotations[kubernetes.io/service-account.name]'));
      break;
    case 'kubernetes.io/dockercfg':
    case 'kubernetes.io/dockerconfigjson': {
      const key = s.type === 'kubernetes.io/dockercfg' ? '.dockercfg' : '.dockerconfigjson';
      if (!has(key)) {
        out.push(fieldErr.required(`data[${key}]`));
        break;
      }
      try {
        JSON.parse(decoded(key));
      } catch (e) {
        out.push(fieldErr.invalid(`data[${key}]`, '<secret contents redacted>', (e as Error).message));
      }
      break;
    }
    case 'kubernetes.io/basic-auth':
      if (!has('username') && !has('password')) {
        out.push(fieldErr.required('data[username]'));
        out.push(fieldErr.required('data[password]'));
      }
      break;
    case 'kubernetes.io/ssh-auth':
      if (!decodedLength(data['ssh-privatekey'])) out.push(fieldErr.required('data[ssh-privatekey]'));
      break;
    case 'kubernetes.io/tls':
      if (!has('tls.crt')) out.push(fieldErr.required('data[tls.crt]'));
      if (!has('tls.key')) out.push(fieldErr.required('data[tls.key]'));
      break;
    default:
      break;
  }
  return out;
}

export function validateSecretUpdate(s: Secret, old: Secret): Causes {
  const out = validateObjectMetaUpdate(s.metadata, old.metadata);
  if ((s.type ?? 'Opaque') !== (old.type ?? 'Opaque')) out.push(fieldErr.invalid('type', s.type ?? '', 'field is immutable'));
  out.push(...immutableDataErrors(s.immutable, old.immutable, !sameJSON(s.data, old.data)));
  out.push(...validateSecret(s).filter((c) => !c.field?.startsWith('metadata.') || c.field.startsWith('metadata.annotations[')));
  return out;
}
