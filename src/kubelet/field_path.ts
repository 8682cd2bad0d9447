// Downward API field paths on a pod's metadata (upstream pkg/fieldpath): metadata.name/namespace/uid,
// whole labels/annotations maps in `key="value"` form, and single entries via metadata.labels['key'].
import type { ObjectMeta } from '../api/types.js';
import { isQualifiedName } from '../api/names.js';

const printable = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;
const shortEscapes: Record<string, string> = {
  '\x07': '\\a',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\v': '\\v',
  '\\': '\\\\',
  '"': '\\"',
};

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}

/** Quotes a string the way Go's %q (strconv.Quote) does. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const esc = shortEscapes[ch];
    if (esc !== undefined) {
      out += esc;
      continue;
    }
    let cp = ch.codePointAt(0)!;
    if (printable.test(ch)) {
      out += ch;
    } else if (cp < 0x20 || cp === 0x7f) {
      out += '\\x' + hex(cp, 2);
    } else {
      if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd; // lone surrogate: not a valid rune
      out += cp === 0xfffd ? '\ufffd' : cp < 0x10000 ? '\\u' + hex(cp, 4) : '\\U' + hex(cp, 8);
    }
  }
  return out + '"';
}

/** Labels/annotations as `key="value"` lines sorted by key, no trailing newline (upstream FormatMap). */
export function formatMap(m: Record<string, string> | undefined): string {
  if (!m) return '';
  const keys = Object.keys(m).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return keys.map((k) => `${k}=${goQuote(m[k] ?? '')}`).join('\n');
}

/** Splits `metadata.labels['key']` into path and subscript; undefined when there is no subscript. */
export function splitMaybeSubscriptedPath(fieldPath: string): { path: string; subscript: string } | undefined {
  if (!fieldPath.endsWith("']")) return undefined;
  const s = fieldPath.slice(0, -2);
  const i = s.indexOf("['");
  if (i <= 0) return undefined;
  return { path: s.slice(0, i), subscript: s.slice(i + 2) };
}

/** Resolves a metadata field path of a pod (upstream ExtractFieldPathAsString). Throws on unsupported paths. */
export function extractFieldPathAsString(obj: { metadata: ObjectMeta }, fieldPath: string): string {
  const meta = obj.metadata ?? {};
  const sub = splitMaybeSubscriptedPath(fieldPath);
  if (sub) {
    switch (sub.path) {
      case 'metadata.annotations': {
        const errs = isQualifiedName(sub.subscript.toLowerCase());
        if (errs.length) throw new Error(`invalid key subscript in ${fieldPath}: ${errs.join(';')}`);
        return meta.annotations?.[sub.subscript] ?? '';
      }
      case 'metadata.labels': {
        const errs = isQualifiedName(sub.subscript);
        if (errs.length) throw new Error(`invalid key subscript in ${fieldPath}: ${errs.join(';')}`);
        return meta.labels?.[sub.subscript] ?? '';
      }
      default:
        throw new Error(`fieldPath "${fieldPath}" does not support subscript`);
    }
  }
  switch (fieldPath) {
    case 'metadata.annotations':
      return formatMap(meta.annotations);
    case 'metadata.labels':
      return formatMap(meta.labels);
    case 'metadata.name':
      return meta.name ?? '';
    case 'metadata.namespace':
      return meta.namespace ?? '';
    case 'metadata.uid':
      return meta.uid ?? '';
  }
  throw new Error(`unsupported fieldPath: ${fieldPath}`);
}
