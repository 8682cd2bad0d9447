// Field selectors (`?fieldSelector=`): parsing (=, ==, != joined by commas, backslash escapes), matching
// against a kind's selectable field set, and the per-kind field sets (pods, events, secrets, nodes, ...).
import type { KubeObject } from './types.js';

export type FieldOperator = '=' | '==' | '!=';

export interface FieldRequirement {
  field: string;
  operator: FieldOperator;
  value: string;
}

export type Fields = Record<string, string>;

export class FieldSelector {
  constructor(readonly requirements: FieldRequirement[]) {}

  static everything(): FieldSelector {
    return new FieldSelector([]);
  }

  empty(): boolean {
    return this.requirements.length === 0;
  }

  /** A field missing from `fields` is treated as the empty string (as upstream does). */
  matches(fields: Fields): boolean {
    return this.requirements.every((r) => {
      const v = Object.prototype.hasOwnProperty.call(fields, r.field) ? fields[r.field]! : '';
      return r.operator === '!=' ? v !== r.value : v === r.value;
    });
  }

  /** Value required by an `=`/`==` term on this field, if any (lets stores index e.g. spec.nodeName). */
  requiresExactMatch(field: string): string | undefined {
    const r = this.requirements.find((x) => x.field === field && x.operator !== '!=');
    return r?.value;
  }

  /** Field names used by this selector. */
  fieldNames(): string[] {
    return [...new Set(this.requirements.map((r) => r.field))];
  }

  toString(): string {
    return this.requirements.map((r) => `${r.field}${r.operator}${escapeFieldValue(r.value)}`).join(',');
  }
}

const specialValueChars = new Set(['\\', ',', '=']);

export function escapeFieldValue(v: string): string {
  return v.replace(/[\\,=]/g, (c) => '\\' + c);
}

export function unescapeFieldValue(v: string): string {
  if (!/[\\,=]/.test(v)) return v;
  let out = '';
  for (let i = 0; i < v.length; i++) {
    const c = v[i]!;
    if (c === '\\') {
      const n = v[i + 1];
      if (n === undefined || !specialValueChars.has(n)) throw new Error(`invalid field selector: invalid escape sequence: \\${n ?? ''}`);
      out += n;
      i++;
    } else if (c === ',' || c === '=') {
      throw new Error(`invalid field selector: unescaped character in value: ${c}`);
    } else {
      out += c;
    }
  }
  return out;
}

/** Splits on commas not preceded by a backslash escape. */
function splitTerms(s: string): string[] {
  const terms: string[] = [];
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\' && i + 1 < s.length) {
      cur += c + s[i + 1];
      i++;
    } else if (c === ',') {
      terms.push(cur);
      cur = '';
    } else cur += c;
  }
  terms.push(cur);
  return terms;
}

function splitTerm(term: string): [string, FieldOperator, string] | undefined {
  for (let i = 0; i < term.length; i++) {
    const c = term[i]!;
    if (c === '\\') {
      i++;
      continue;
    }
    for (const op of ['!=', '==', '='] as const) {
      if (term.startsWith(op, i)) return [term.slice(0, i), op, term.slice(i + op.length)];
    }
  }
  return undefined;
}

/** Parses a field selector string; throws an Error with upstream wording on malformed input. */
export function parseFieldSelector(selector: string): FieldSelector {
  const reqs: FieldRequirement[] = [];
  for (const part of splitTerms(selector)) {
    if (part.trim() === '') continue;
    const t = splitTerm(part);
    if (!t) throw new Error(`invalid selector: '${selector}'; can't understand '${part}'`);
    const field = t[0].trim();
    if (field === '') throw new Error(`invalid selector: '${selector}'; can't understand '${part}'`);
    reqs.push({ field, operator: t[1], value: unescapeFieldValue(t[2].trim()) });
  }
  reqs.sort((a, b) => (a.field < b.field ? -1 : a.field > b.field ? 1 : 0));
  return new FieldSelector(reqs);
}

/** Convenience for `fieldSelector.matches(fields)` from a string. */
export function matchesFieldSelectorString(selector: string, fields: Fields): boolean {
  return parseFieldSelector(selector).matches(fields);
}

/**
 * Throws `field label not supported: X` (the API server's 400 message) for a field not in `fields`.
 * Pass the object's field set (e.g. podFields(pod)) or any set with the same keys.
 */
export function checkFieldSelectorSupported(sel: FieldSelector, fields: Fields | readonly string[]): void {
  const names = Array.isArray(fields) ? new Set(fields as readonly string[]) : new Set(Object.keys(fields as Fields));
  for (const f of sel.fieldNames()) if (!names.has(f)) throw new Error(`field label not supported: ${f}`);
}

// --- per-kind selectable fields ---
type Obj = KubeObject | Record<string, unknown>;

function str(v: unknown): string {
  return v === undefined || v === null ? '' : String(v);
}

function obj(v: unknown): Record<string, unknown> {
  return v && typeof v === 'object' ? (v as Record<string, unknown>) : {};
}

/** metadata.name and, for namespaced kinds, metadata.namespace. */
export function objectMetaFields(o: Obj, namespaced = true): Fields {
  const m = obj((o as Record<string, unknown>).metadata);
  const f: Fields = { 'metadata.name': str(m.name) };
  if (namespaced) f['metadata.namespace'] = str(m.namespace);
  return f;
}

/** Default field set for kinds without extra selectable fields. */
export function defaultFields(o: Obj, namespaced = true): Fields {
  return objectMetaFields(o, namespaced);
}

export function podFields(pod: Obj): Fields {
  const spec = obj((pod as Record<string, unknown>).spec);
  const status = obj((pod as Record<string, unknown>).status);
  const podIPs = Array.isArray(status.podIPs) ? status.podIPs : [];
  const podIP = str(status.podIP) || str(obj(podIPs[0]).ip);
  return {
    ...objectMetaFields(pod, true),
    'spec.nodeName': str(spec.nodeName),
    'spec.restartPolicy': str(spec.restartPolicy),
    'spec.schedulerName': str(spec.schedulerName),
    'spec.serviceAccountName': str(spec.serviceAccountName),
    'spec.hostNetwork': spec.hostNetwork ? 'true' : 'false',
    'status.phase': str(status.phase),
    'status.podIP': podIP,
    'status.nominatedNodeName': str(status.nominatedNodeName),
  };
}

export function eventFields(ev: Obj): Fields {
  const e = ev as Record<string, unknown>;
  const io = obj(e.involvedObject);
  const source = obj(e.source);
  return {
    ...objectMetaFields(ev, true),
    'involvedObject.kind': str(io.kind),
    'involvedObject.namespace': str(io.namespace),
    'involvedObject.name': str(io.name),
    'involvedObject.uid': str(io.uid),
    'involvedObject.apiVersion': str(io.apiVersion),
    'involvedObject.resourceVersion': str(io.resourceVersion),
    'involvedObject.fieldPath': str(io.fieldPath),
    reason: str(e.reason),
    reportingComponent: str(e.reportingComponent),
    source: str(source.component),
    type: str(e.type),
  };
}

export function secretFields(s: Obj): Fields {
  return { ...objectMetaFields(s, true), type: str((s as Record<string, unknown>).type) };
}

export function nodeFields(n: Obj): Fields {
  const spec = obj((n as Record<string, unknown>).spec);
  return { ...objectMetaFields(n, false), 'spec.unschedulable': spec.unschedulable ? 'true' : 'false' };
}

export function namespaceFields(ns: Obj): Fields {
  const status = obj((ns as Record<string, unknown>).status);
  return { ...objectMetaFields(ns, false), 'status.phase': str(status.phase) };
}

/** Picks the field set function by Kind ("Pod", "Event", ...); other kinds get the default set. */
export function fieldsForKind(kind: string, o: Obj, namespaced = true): Fields {
  switch (kind) {
    case 'Pod':
      return podFields(o);
    case 'Event':
      return eventFields(o);
    case 'Secret':
      return secretFields(o);
    case 'Node':
      return nodeFields(o);
    case 'Namespace':
      return namespaceFields(o);
    default:
      return defaultFields(o, namespaced);
  }
}
