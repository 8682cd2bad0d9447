// Limits a request body must pass before it is parsed: nesting depth of JSON and YAML documents (what
// upstream's decoders enforce while scanning), and the duplicate object keys strict decoding reports.
// Both scanners are linear, allocation-light passes over the text, so hostile input is refused before a
// recursive parser (or any recursive walker after it: patches, field checks, managedFields) sees it.
import { badRequest } from '../api/errors.js';

/**
 * Deepest nesting of arrays/objects (JSON) or collections (YAML) a body may have. Upstream's Go decoders stop
 * at 10000; ours is lower because JavaScript parsers and the recursive walkers behind them (the YAML parser
 * overflows its stack near 800 flow levels) must never hit the call-stack limit. Real objects stay below 100.
 */
export const MAX_NESTING_DEPTH = 500;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const COMMA = 0x2c;
/** Up to this many keys an object's seen keys are a plain array; past it, a Set. */
const SMALL_OBJECT_KEYS = 8;

/** Index of the quote closing the JSON string that opens at `start`, or -1 when it is unterminated. */
function stringEnd(text: string, start: number): number {
  let from = start + 1;
  for (;;) {
    const q = text.indexOf('"', from);
    if (q < 0) return -1;
    let bs = 0;
    for (let k = q - 1; k > start && text.charCodeAt(k) === BACKSLASH; k--) bs++;
    if (bs % 2 === 0) return q;
    from = q + 1;
  }
}

function decodeKey(raw: string): string {
  if (raw.indexOf('\\') < 0) return raw;
  try {
    return JSON.parse(`"${raw}"`) as string;
  } catch {
    return raw; // malformed escapes: JSON.parse of the whole body reports them
  }
}

/**
 * Checks a JSON text's nesting depth (400 past MAX_NESTING_DEPTH, with Go's scanner message) and, when
 * `duplicates` is given, appends upstream's strict error for every repeated key of an object
 * (`duplicate field "name"`, deduplicated). Syntax errors are left to JSON.parse.
 */
export function scanJSON(text: string, duplicates?: string[]): void {
  // Per open container: the keys seen so far (object, when collecting duplicates: an array while it is small,
  // which is cheaper than a Set for the few keys most objects have), null (object, not collecting) or
  // undefined (array).
  const stack: (string[] | Set<string> | null | undefined)[] = [];
  let expectKey = false;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const end = stringEnd(text, i);
      if (end < 0) return;
      if (expectKey) {
        expectKey = false;
        const top = stack.length - 1;
        const keys = stack[top];
        if (keys) {
          const key = decodeKey(text.slice(i + 1, end));
          let dup: boolean;
          if (Array.isArray(keys)) {
            dup = keys.includes(key);
            if (!dup) {
              if (keys.length < SMALL_OBJECT_KEYS) keys.push(key);
              else stack[top] = new Set(keys).add(key);
            }
          } else {
            dup = keys.has(key);
            if (!dup) keys.add(key);
          }
          if (dup) {
            const msg = `duplicate field "${key}"`;
            if (duplicates!.length < 100 && !duplicates!.includes(msg)) duplicates!.push(msg);
          }
        }
      }
      i = end;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (stack.length >= MAX_NESTING_DEPTH) {
        throw badRequest(`the object provided is unrecognized or malformed: invalid character '${text[i]}' exceeded max depth of ${MAX_NESTING_DEPTH}`);
      }
      const isObject = c === OPEN_BRACE;
      stack.push(isObject ? (duplicates ? [] : null) : undefined);
      expectKey = isObject;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      stack.pop();
      expectKey = false;
    } else if (c === COMMA) {
      expectKey = stack.length > 0 && stack[stack.length - 1] !== undefined;
    }
  }
}

/** Leading spaces of the line starting at `start`. */
function indentOf(text: string, start: number, end: number): number {
  let i = start;
  while (i < end && text.charCodeAt(i) === 0x20) i++;
  return i - start;
}

/**
 * Checks a YAML text's nesting depth before the YAML parser sees it: block levels (indentation and
 * compact `- - x` sequences) plus flow levels (`[`/`{` outside quotes, comments and block scalars). The
 * count is an upper bound of the parsed depth, so a document within the limit always parses safely.
 */
export function checkYAMLDepth(text: string): void {
  const indents: number[] = [];
  let flow = 0;
  let flowBase = 0; // block depth of the line where the open flow collection started
  let blockScalarIndent = -1; // >= 0 while inside a `|`/`>` block scalar owned by a line with this indent
  const tooDeep = () => badRequest(`error converting YAML to JSON: yaml: exceeded max depth of ${MAX_NESTING_DEPTH}`);
  let lineStart = 0;
  const n = text.length;
  while (lineStart <= n) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = n;
    const indent = indentOf(text, lineStart, lineEnd);
    const blank = lineStart + indent >= lineEnd || text.charCodeAt(lineStart + indent) === 0x0d;
    if (blockScalarIndent >= 0) {
      if (blank || indent > blockScalarIndent) {
        lineStart = lineEnd + 1;
        continue;
      }
      blockScalarIndent = -1;
    }
    let pos = lineStart + indent;
    let depth = flowBase + flow;
    if (flow === 0 && !blank) {
      while (indents.length && indents[indents.length - 1] >= indent) indents.pop();
      indents.push(indent);
      // compact nested sequences/mappings on one line: "- - - x", "? - x"
      let compact = 0;
      while (pos < lineEnd) {
        const ch = text.charCodeAt(pos);
        const next = pos + 1 < lineEnd ? text.charCodeAt(pos + 1) : 0x20;
        if ((ch === 0x2d || ch === 0x3f) && (next === 0x20 || next === 0x09)) {
          compact++;
          pos += 2;
          while (pos < lineEnd && text.charCodeAt(pos) === 0x20) pos++;
        } else break;
      }
      depth = indents.length + compact;
    }
    if (depth > MAX_NESTING_DEPTH) throw tooDeep();
    let valueStart = true;
    while (pos < lineEnd) {
      const ch = text.charCodeAt(pos);
      if (ch === 0x22 || ch === 0x27) {
        // quoted scalar: skip to its closing quote on this line
        let k = pos + 1;
        while (k < lineEnd) {
          const d = text.charCodeAt(k);
          if (ch === 0x22 && d === BACKSLASH) k += 2;
          else if (d === ch) break;
          else k++;
        }
        pos = k + 1;
        valueStart = false;
        continue;
      }
      if (ch === 0x23 && (pos === lineStart || text.charCodeAt(pos - 1) === 0x20 || text.charCodeAt(pos - 1) === 0x09)) break; // comment
      if (flow > 0 || valueStart) {
        if (ch === OPEN_BRACKET || ch === OPEN_BRACE) {
          if (flow === 0) flowBase = depth;
          flow++;
          if (depth + 1 > MAX_NESTING_DEPTH) throw tooDeep();
          depth++;
          valueStart = true;
          pos++;
          continue;
        }
        if (flow > 0 && (ch === CLOSE_BRACKET || ch === CLOSE_BRACE)) {
          flow--;
          depth--;
          pos++;
          continue;
        }
        if (flow > 0 && ch === COMMA) {
          valueStart = true;
          pos++;
          continue;
        }
      }
      if (flow === 0 && valueStart && (ch === 0x7c || ch === 0x3e)) {
        blockScalarIndent = indent;
        break;
      }
      if (ch === 0x3a && (pos + 1 >= lineEnd || text.charCodeAt(pos + 1) === 0x20 || text.charCodeAt(pos + 1) === 0x09)) {
        valueStart = true;
        pos++;
        continue;
      }
      if (ch !== 0x20 && ch !== 0x09) valueStart = false;
      pos++;
    }
    lineStart = lineEnd + 1;
  }
}
