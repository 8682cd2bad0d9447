// Converts a decoded Kubernetes protobuf message to the JSON object the JSON encoding carries: unset and
// zero-valued fields omitted, meta/v1 Time/MicroTime/Duration, Quantity, IntOrString, FieldsV1 and
// RawExtension in their JSON forms, bytes as base64, maps as objects.
import type protobuf from 'protobufjs';
import { isInline, isPointerScalar, jsonName } from './go_types.js';

const META = '.k8s.io.apimachinery.pkg.apis.meta.v1.';
const ZERO_TIME_SECONDS = -62135596800; // 0001-01-01T00:00:00Z, Go's zero time
const MAX_MS = 8.64e15;

type Msg = Record<string, unknown>;

function num(v: unknown): number {
  if (typeof v === 'number') return v;
  if (v && typeof v === 'object' && 'toNumber' in v) return (v as { toNumber(): number }).toNumber();
  return Number(v);
}

function own(m: Msg, k: string): boolean {
  return Object.prototype.hasOwnProperty.call(m, k);
}

function pad(n: number, w: number): string {
  return String(n).padStart(w, '0');
}

/** RFC 3339 in UTC, with `fraction` digits of sub-second precision (0 = none). */
function rfc3339(seconds: number, nanos: number, fraction: 0 | 6): string | undefined {
  if (seconds === ZERO_TIME_SECONDS && nanos === 0) return undefined;
  const ms = seconds * 1000;
  if (!Number.isFinite(ms) || Math.abs(ms) > MAX_MS || nanos < 0 || nanos > 999_999_999) throw new Error(`timestamp out of range: ${seconds}s`);
  const d = new Date(ms);
  const base = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}T${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}`;
  return fraction === 6 ? `${base}.${pad(Math.floor(nanos / 1000), 6)}Z` : `${base}Z`;
}

/** Go's time.Duration String(): "1h2m3.5s", "150ms", "0s". */
export function goDuration(nanos: number): string {
  if (nanos === 0) return '0s';
  const neg = nanos < 0;
  let n = Math.abs(nanos);
  let out: string;
  if (n < 1e3) out = `${n}ns`;
  else if (n < 1e6) out = `${trim(n / 1e3)}µs`;
  else if (n < 1e9) out = `${trim(n / 1e6)}ms`;
  else {
    const h = Math.floor(n / 3.6e12);
    n -= h * 3.6e12;
    const m = Math.floor(n / 6e10);
    n -= m * 6e10;
    out = `${h ? `${h}h` : ''}${h || m ? `${m}m` : ''}${trim(n / 1e9)}s`;
  }
  return neg ? `-${out}` : out;
}

function trim(x: number): string {
  return String(Number(x.toFixed(9)));
}

function rawJSON(raw: unknown): unknown {
  const bytes = raw instanceof Uint8Array ? raw : new Uint8Array(0);
  if (bytes.length === 0) return undefined;
  return JSON.parse(Buffer.from(bytes).toString('utf8'));
}

/** JSON form of the well-known apimachinery messages; undefined return = omit the field. */
function special(type: protobuf.Type, m: Msg): { value: unknown } | undefined {
  switch (type.fullName) {
    case META + 'Time':
      return { value: own(m, 'seconds') || own(m, 'nanos') ? rfc3339(num(m.seconds ?? 0), num(m.nanos ?? 0), 0) : undefined };
    case META + 'MicroTime':
      return { value: own(m, 'seconds') || own(m, 'nanos') ? rfc3339(num(m.seconds ?? 0), num(m.nanos ?? 0), 6) : undefined };
    case META + 'Duration':
      return { value: goDuration(num(m.duration ?? 0)) };
    case META + 'FieldsV1':
      return { value: rawJSON(m.Raw) }; // the one capitalised proto field name
    case '.k8s.io.apimachinery.pkg.runtime.RawExtension':
      return { value: rawJSON(m.raw) };
    case '.k8s.io.apimachinery.pkg.api.resource.Quantity':
      return { value: typeof m.string === 'string' ? m.string : undefined };
    case META + 'Verbs':
    case '.k8s.io.api.authentication.v1.ExtraValue':
    case '.k8s.io.api.authorization.v1.ExtraValue':
      return { value: Array.isArray(m.items) ? m.items.map(String) : [] };
    case '.k8s.io.apimachinery.pkg.util.intstr.IntOrString':
      return { value: num(m.type ?? 0) === 1 ? String(m.strVal ?? '') : num(m.intVal ?? 0) };
    default:
      return undefined;
  }
}

function scalar(field: protobuf.Field, v: unknown): unknown {
  switch (field.type) {
    case 'string':
      return String(v);
    case 'bool':
      return Boolean(v);
    case 'bytes':
      return Buffer.from(v as Uint8Array).toString('base64');
    default:
      return num(v);
  }
}

function isZero(v: unknown): boolean {
  return v === '' || v === 0 || v === false;
}

function value(field: protobuf.Field, v: unknown): unknown {
  const t = field.resolvedType;
  if (t && 'fieldsArray' in t) return messageToJSON(t as protobuf.Type, v as Msg);
  if (t) return v; // enums do not occur in the Kubernetes messages; keep the number
  return scalar(field, v);
}

/** The JSON object for a decoded message of `type`. */
export function messageToJSON(type: protobuf.Type, m: Msg): unknown {
  const s = special(type, m);
  if (s) return s.value;
  const out: Record<string, unknown> = {};
  for (const field of type.fieldsArray) {
    const name = field.name;
    if (!own(m, name)) continue;
    const v = m[name];
    if (v === null || v === undefined) continue;
    if (field.map) {
      const entries = Object.entries(v as Record<string, unknown>);
      if (entries.length === 0) continue;
      const obj: Record<string, unknown> = {};
      for (const [k, ev] of entries) obj[k] = value(field, ev) ?? null;
      out[jsonName(type.name, name)] = obj;
    } else if (field.repeated) {
      const arr = v as unknown[];
      if (!Array.isArray(arr) || arr.length === 0) continue;
      out[jsonName(type.name, name)] = arr.map((e) => value(field, e) ?? null);
    } else {
      const jv = value(field, v);
      if (jv === undefined) continue;
      if (!field.resolvedType && isZero(jv) && !isPointerScalar(type.name, name)) continue;
      if (isInline(type.name, name) && jv !== null && typeof jv === 'object') Object.assign(out, jv);
      else out[jsonName(type.name, name)] = jv;
    }
  }
  return out;
}
