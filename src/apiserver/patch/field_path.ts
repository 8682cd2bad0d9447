// Field paths and field sets for managedFields: path elements in upstream's FieldsV1 spelling
// (`f:name`, `k:{"name":"web"}`, `v:"x"`, `i:0`), flat sets of paths, the FieldsV1 tree codec and the
// human form used in conflict messages (`.spec.containers[name="web"].image`).
import { isObject, type JsonObject } from './json.js';

/** One path element, already encoded: "f:<field>", "k:<json object>", "v:<json value>" or "i:<index>". */
export type PathElement = string;
/** A path encoded as its elements joined by SEP. */
export type EncodedPath = string;
/** A set of member paths. */
export type FieldSet = Set<EncodedPath>;

export const SEP = '\n';

export function fieldElem(name: string): PathElement {
  return 'f:' + name;
}

/** Element for a list item identified by key fields (serialized with sorted field names, like upstream). */
export function keyElem(item: JsonObject, keys: string[], defaults?: Record<string, unknown>): PathElement | undefined {
  const sorted = [...keys].sort();
  const parts: string[] = [];
  for (const k of sorted) {
    const v = item[k] !== undefined ? item[k] : defaults?.[k];
    if (v === undefined) continue;
    parts.push(`${JSON.stringify(k)}:${JSON.stringify(v)}`);
  }
  if (parts.length === 0) return undefined;
  return `k:{${parts.join(',')}}`;
}

export function valueElem(v: unknown): PathElement {
  return 'v:' + JSON.stringify(v);
}

export function indexElem(i: number): PathElement {
  return 'i:' + i;
}

export function joinPath(prefix: EncodedPath, elem: PathElement): EncodedPath {
  return prefix === '' ? elem : prefix + SEP + elem;
}

export function splitPath(p: EncodedPath): PathElement[] {
  return p === '' ? [] : p.split(SEP);
}

/** Whether `p` equals `prefix` or lies below it. */
export function isUnder(p: EncodedPath, prefix: EncodedPath): boolean {
  return p === prefix || p.startsWith(prefix + SEP);
}

/** Human form of a path, as in upstream conflict messages. */
export function pathString(p: EncodedPath): string {
  let out = '';
  for (const e of splitPath(p)) {
    const body = e.slice(2);
    switch (e[0]) {
      case 'f':
        out += '.' + body;
        break;
      case 'k': {
        const obj = JSON.parse(body) as JsonObject;
        out +=
          '[' +
          Object.entries(obj)
            .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
            .join(',') +
          ']';
        break;
      }
      case 'v':
        out += '[=' + body + ']';
        break;
      default:
        out += '[' + body + ']';
    }
  }
  return out;
}

/** Decodes a FieldsV1 tree (`{"f:metadata":{"f:labels":{"f:app":{}}}}`) to a flat set. */
export function fieldsV1ToSet(tree: unknown): FieldSet {
  const out: FieldSet = new Set();
  const walk = (node: unknown, prefix: EncodedPath): void => {
    if (!isObject(node)) return;
    for (const [k, child] of Object.entries(node)) {
      if (k === '.') {
        if (prefix !== '') out.add(prefix);
        continue;
      }
      const p = joinPath(prefix, k);
      if (isObject(child) && Object.keys(child).length === 0) out.add(p);
      else walk(child, p);
    }
  };
  walk(tree, '');
  return out;
}

interface Node {
  member: boolean;
  kids: Map<string, Node>;
}

/** Encodes a flat set as a FieldsV1 tree; keys are sorted ("." first) for stable output. */
export function setToFieldsV1(set: FieldSet): JsonObject {
  const root: Node = { member: false, kids: new Map() };
  for (const p of set) {
    let n = root;
    for (const e of splitPath(p)) {
      let c = n.kids.get(e);
      if (!c) {
        c = { member: false, kids: new Map() };
        n.kids.set(e, c);
      }
      n = c;
    }
    n.member = true;
  }
  const emit = (n: Node): JsonObject => {
    const o: JsonObject = {};
    if (n.member && n.kids.size > 0) o['.'] = {};
    for (const k of [...n.kids.keys()].sort()) o[k] = emit(n.kids.get(k)!);
    return o;
  };
  return emit(root);
}

export function union(a: FieldSet, b: FieldSet): FieldSet {
  const out = new Set(a);
  for (const p of b) out.add(p);
  return out;
}

export function difference(a: FieldSet, b: FieldSet): FieldSet {
  const out: FieldSet = new Set();
  for (const p of a) if (!b.has(p)) out.add(p);
  return out;
}

export function intersection(a: FieldSet, b: FieldSet): FieldSet {
  const out: FieldSet = new Set();
  const [small, big] = a.size <= b.size ? [a, b] : [b, a];
  for (const p of small) if (big.has(p)) out.add(p);
  return out;
}

/** Removes from `set` every path equal to or below one of `prefixes` (in place). */
export function removeUnder(set: FieldSet, prefixes: Iterable<EncodedPath>): void {
  const list = [...prefixes];
  if (list.length === 0) return;
  for (const p of [...set]) if (list.some((pre) => isUnder(p, pre))) set.delete(p);
}
