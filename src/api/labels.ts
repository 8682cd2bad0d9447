// Label selectors: the string form of `?labelSelector=` (=, ==, !=, in, notin, exists, !exists, gt, lt),
// LabelSelector objects (matchLabels + matchExpressions), matching, and label map validation helpers.
import { isQualifiedName, isValidLabelValue } from './names.js';

export type SelectorOperator = 'in' | 'notin' | '=' | '==' | '!=' | 'exists' | '!' | 'gt' | 'lt';

export interface Requirement {
  key: string;
  operator: SelectorOperator;
  values: string[];
}

export interface LabelSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | string;
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

export type Labels = Record<string, string> | undefined | null;

/** A parsed selector: an AND of requirements. Empty = matches everything. */
export class Selector {
  constructor(readonly requirements: Requirement[]) {}

  static everything(): Selector {
    return new Selector([]);
  }

  /** Matches nothing (e.g. a nil LabelSelector pointer, upstream labels.Nothing()). */
  static nothing(): Selector {
    const s = new Selector([]);
    s.matchesNothing = true;
    return s;
  }

  private matchesNothing = false;

  empty(): boolean {
    return this.requirements.length === 0 && !this.matchesNothing;
  }

  matches(labels: Labels): boolean {
    if (this.matchesNothing) return false;
    const ls = labels ?? {};
    return this.requirements.every((r) => requirementMatches(r, ls));
  }

  /** If the selector requires key=value exactly, returns that value. */
  requiresExactMatch(key: string): string | undefined {
    for (const r of this.requirements) {
      if (r.key === key && (r.operator === '=' || r.operator === '==' || (r.operator === 'in' && r.values.length === 1))) return r.values[0];
    }
    return undefined;
  }

  toString(): string {
    return this.requirements.map(requirementString).join(',');
  }
}

function has(ls: Record<string, string>, k: string): boolean {
  return Object.prototype.hasOwnProperty.call(ls, k);
}

export function requirementMatches(r: Requirement, ls: Record<string, string>): boolean {
  switch (r.operator) {
    case '=':
    case '==':
    case 'in':
      return has(ls, r.key) && r.values.includes(ls[r.key]!);
    case '!=':
    case 'notin':
      return !has(ls, r.key) || !r.values.includes(ls[r.key]!);
    case 'exists':
      return has(ls, r.key);
    case '!':
      return !has(ls, r.key);
    case 'gt':
    case 'lt': {
      if (!has(ls, r.key)) return false;
      const v = Number(ls[r.key]);
      if (!/^-?[0-9]+$/.test(ls[r.key]!)) return false;
      const rv = Number(r.values[0]);
      return r.operator === 'gt' ? v > rv : v < rv;
    }
  }
  return false;
}

export function requirementString(r: Requirement): string {
  switch (r.operator) {
    case 'exists':
      return r.key;
    case '!':
      return `!${r.key}`;
    case 'in':
    case 'notin':
      return `${r.key} ${r.operator} (${r.values.join(',')})`;
    case 'gt':
      return `${r.key}>${r.values[0]}`;
    case 'lt':
      return `${r.key}<${r.values[0]}`;
    default:
      return `${r.key}${r.operator}${r.values[0] ?? ''}`;
  }
}

// --- lexer ---
type Tok = 'id' | 'in' | 'notin' | '!' | '=' | '==' | '!=' | '(' | ')' | ',' | '>' | '<' | 'eos' | 'error';

const specialChars = new Set(['=', '!', '(', ')', ',', '>', '<']);
function isWhitespace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\r' || c === '\n';
}

class Lexer {
  pos = 0;
  constructor(readonly s: string) {}

  next(): [Tok, string] {
    while (this.pos < this.s.length && isWhitespace(this.s[this.pos]!)) this.pos++;
    if (this.pos >= this.s.length) return ['eos', ''];
    const c = this.s[this.pos]!;
    if (specialChars.has(c)) {
      const two = this.s.slice(this.pos, this.pos + 2);
      if (two === '==' || two === '!=') {
        this.pos += 2;
        return [two, two];
      }
      this.pos++;
      return [c as Tok, c];
    }
    const start = this.pos;
    while (this.pos < this.s.length && !isWhitespace(this.s[this.pos]!) && !specialChars.has(this.s[this.pos]!)) this.pos++;
    const word = this.s.slice(start, this.pos);
    if (word === 'in') return ['in', word];
    if (word === 'notin') return ['notin', word];
    return ['id', word];
  }
}

/** Parser with one-token lookahead. `in`/`notin` are plain identifiers where a value is expected. */
class Parser {
  private toks: [Tok, string][] = [];
  private i = 0;
  constructor(s: string) {
    const lx = new Lexer(s);
    for (;;) {
      const t = lx.next();
      this.toks.push(t);
      if (t[0] === 'eos') break;
    }
  }
  private asValue(t: [Tok, string]): [Tok, string] {
    return t[0] === 'in' || t[0] === 'notin' ? ['id', t[1]] : t;
  }
  peek(values = false): [Tok, string] {
    const t = this.toks[this.i]!;
    return values ? this.asValue(t) : t;
  }
  consume(values = false): [Tok, string] {
    const t = this.toks[this.i]!;
    if (t[0] !== 'eos') this.i++;
    return values ? this.asValue(t) : t;
  }
}

const binaryOperators = ['in', 'notin', '=', '==', '!=', 'gt', 'lt'];

function fieldInvalid(path: string, value: string, msg: string): string {
  return `${path}: Invalid value: ${JSON.stringify(value)}: ${msg}`;
}

/** Validates and builds a requirement (upstream NewRequirement). Throws on invalid input. */
export function newRequirement(key: string, operator: SelectorOperator, values: string[]): Requirement {
  const keyErrs = isQualifiedName(key);
  if (keyErrs.length) throw new Error(fieldInvalid('key', key, keyErrs.join('; ')));
  switch (operator) {
    case 'in':
    case 'notin':
      if (values.length === 0) throw new Error(`values: Invalid value: ${JSON.stringify(values)}: for 'in', 'notin' operators, values set can't be empty`);
      break;
    case '=':
    case '==':
    case '!=':
      if (values.length !== 1) throw new Error(`values: Invalid value: ${JSON.stringify(values)}: exact-match compatibility requires one single value`);
      break;
    case 'exists':
    case '!':
      if (values.length !== 0) throw new Error(`values: Invalid value: ${JSON.stringify(values)}: values set must be empty for exists and does not exist`);
      break;
    case 'gt':
    case 'lt':
      if (values.length !== 1 || !/^-?[0-9]+$/.test(values[0]!))
        throw new Error(`values: Invalid value: ${JSON.stringify(values)}: for 'Gt', 'Lt' operators, exactly one integer value is required`);
      break;
    default:
      throw new Error(`operator: Unsupported value: ${JSON.stringify(operator)}: supported values: ${binaryOperators.map((o) => `"${o}"`).join(', ')}`);
  }
  values.forEach((v, i) => {
    const errs = isValidLabelValue(v);
    if (errs.length) throw new Error(fieldInvalid(`values[${i}][${key}]`, v, errs.join('; ')));
  });
  const sorted = [...new Set(values)].sort();
  return { key, operator, values: sorted };
}

function parseRequirement(p: Parser): Requirement {
  let [tok, lit] = p.consume(true);
  let op: SelectorOperator | undefined;
  if (tok === '!') {
    op = '!';
    [tok, lit] = p.consume(true);
  }
  if (tok !== 'id') throw new Error(`found '${lit}', expected: identifier`);
  const key = lit;
  const keyErrs = isQualifiedName(key);
  if (keyErrs.length) throw new Error(`<nil>: Invalid value: ${JSON.stringify(key)}: ${keyErrs.join('; ')}`);
  const [next] = p.peek(true);
  if (next === 'eos' || next === ',') {
    return newRequirement(key, op ?? 'exists', []);
  }
  // "!a=b": the requirement ends at the key; the caller reports the stray operator.
  if (op === '!') return newRequirement(key, '!', []);
  const [otok, olit] = p.consume();
  let operator: SelectorOperator;
  switch (otok) {
    case 'in':
    case 'notin':
    case '=':
    case '==':
    case '!=':
      operator = otok;
      break;
    case '>':
      operator = 'gt';
      break;
    case '<':
      operator = 'lt';
      break;
    default:
      throw new Error(`found '${olit}', expected: ${binaryOperators.join(', ')}`);
  }
  let values: string[];
  if (operator === 'in' || operator === 'notin') values = parseValues(p);
  else values = parseExactValue(p);
  return newRequirement(key, operator, values);
}

function parseValues(p: Parser): string[] {
  const [tok, lit] = p.consume(true);
  if (tok !== '(') throw new Error(`found '${lit}' expected: '('`);
  const [t2, l2] = p.peek(true);
  if (t2 === ')') {
    p.consume(true);
    return [''];
  }
  if (t2 !== 'id' && t2 !== ',') throw new Error(`found '${l2}', expected: ',', ')' or identifier`);
  const s = new Set<string>();
  for (;;) {
    const [t, l] = p.consume(true);
    if (t === 'id') {
      s.add(l);
      const [t3, l3] = p.peek(true);
      if (t3 === ',') continue;
      if (t3 === ')') break;
      throw new Error(`found '${l3}', expected: ',' or ')'`);
    } else if (t === ',') {
      if (s.size === 0) s.add('');
      const [t3] = p.peek(true);
      if (t3 === ')') {
        s.add('');
        break;
      }
      if (t3 === ',') {
        p.consume(true);
        s.add('');
      }
    } else {
      throw new Error(`found '${l}', expected: ',', or identifier`);
    }
  }
  const [ct, cl] = p.consume(true);
  if (ct !== ')') throw new Error(`found '${cl}', expected: ')'`);
  return [...s];
}

function parseExactValue(p: Parser): string[] {
  const [t] = p.peek(true);
  if (t === 'eos' || t === ',') return [''];
  const [t2, l2] = p.consume(true);
  if (t2 === 'id') return [l2];
  throw new Error(`found '${l2}', expected: identifier`);
}

/**
 * Parses the string form of a label selector. Throws an Error with upstream wording
 * (e.g. "unable to parse requirement: found '', expected: identifier") on malformed input.
 */
export function parseLabelSelector(selector: string): Selector {
  const p = new Parser(selector);
  const reqs: Requirement[] = [];
  for (;;) {
    const [tok, lit] = p.peek(true);
    if (tok === 'eos') break;
    if (tok !== 'id' && tok !== '!') throw new Error(`found '${lit}', expected: !, identifier, or 'end of string'`);
    let r: Requirement;
    try {
      r = parseRequirement(p);
    } catch (e) {
      throw new Error(`unable to parse requirement: ${(e as Error).message}`);
    }
    reqs.push(r);
    const [t, l] = p.consume(true);
    if (t === 'eos') break;
    if (t === ',') {
      const [t2, l2] = p.peek(true);
      if (t2 !== 'id' && t2 !== '!') throw new Error(`found '${l2}', expected: identifier after ','`);
      continue;
    }
    throw new Error(`found '${l}', expected: ',' or 'end of string'`);
  }
  reqs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return new Selector(reqs);
}

/** Selector matching exactly the given key=value pairs. */
export function selectorFromSet(set: Record<string, string> | undefined): Selector {
  const keys = Object.keys(set ?? {}).sort();
  return new Selector(keys.map((k) => ({ key: k, operator: '=', values: [set![k]!] })));
}

/**
 * Converts a metav1.LabelSelector into a Selector (upstream LabelSelectorAsSelector):
 * null/undefined → matches nothing; {} → matches everything. Throws on invalid requirements.
 */
export function labelSelectorAsSelector(ls: LabelSelector | null | undefined): Selector {
  if (ls === null || ls === undefined) return Selector.nothing();
  const reqs: Requirement[] = [];
  for (const [k, v] of Object.entries(ls.matchLabels ?? {})) reqs.push(newRequirement(k, '=', [v]));
  for (const expr of ls.matchExpressions ?? []) {
    let op: SelectorOperator;
    switch (expr.operator) {
      case 'In':
        op = 'in';
        break;
      case 'NotIn':
        op = 'notin';
        break;
      case 'Exists':
        op = 'exists';
        break;
      case 'DoesNotExist':
        op = '!';
        break;
      default:
        throw new Error(`${JSON.stringify(expr.operator)} is not a valid label selector operator`);
    }
    reqs.push(newRequirement(expr.key, op, expr.values ?? []));
  }
  reqs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return new Selector(reqs);
}

/** Convenience: does a LabelSelector object match these labels? (undefined selector matches nothing) */
export function labelSelectorMatches(ls: LabelSelector | null | undefined, labels: Labels): boolean {
  return labelSelectorAsSelector(ls).matches(labels);
}

/** Convenience: does a selector string match these labels? Throws on a malformed selector. */
export function matchesLabelSelectorString(selector: string, labels: Labels): boolean {
  return parseLabelSelector(selector).matches(labels);
}

export interface LabelError {
  /** "key" or "value" */
  part: 'key' | 'value';
  key: string;
  value: string;
  message: string;
}

/** Validates a label map (keys: qualified names; values: label values). */
export function validateLabelMap(labels: Record<string, string> | undefined): LabelError[] {
  const out: LabelError[] = [];
  for (const [k, v] of Object.entries(labels ?? {})) {
    for (const m of isQualifiedName(k)) out.push({ part: 'key', key: k, value: k, message: m });
    if (typeof v !== 'string') {
      out.push({ part: 'value', key: k, value: String(v), message: 'must be a string' });
      continue;
    }
    for (const m of isValidLabelValue(v)) out.push({ part: 'value', key: k, value: v, message: m });
  }
  return out;
}

/** Validation of a LabelSelector object's shape; returns messages with upstream-like field paths. */
export function validateLabelSelector(ls: LabelSelector | undefined, path: string): { field: string; value: unknown; message: string; reason: string }[] {
  const out: { field: string; value: unknown; message: string; reason: string }[] = [];
  if (!ls) return out;
  for (const e of validateLabelMap(ls.matchLabels)) out.push({ field: `${path}.matchLabels`, value: e.value, message: e.message, reason: 'FieldValueInvalid' });
  (ls.matchExpressions ?? []).forEach((expr, i) => {
    const p = `${path}.matchExpressions[${i}]`;
    const vals = expr.values ?? [];
    switch (expr.operator) {
      case 'In':
      case 'NotIn':
        if (vals.length === 0)
          out.push({ field: `${p}.values`, value: undefined, message: "must be specified when `operator` is 'In' or 'NotIn'", reason: 'FieldValueRequired' });
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (vals.length > 0)
          out.push({
            field: `${p}.values`,
            value: undefined,
            message: "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
            reason: 'FieldValueForbidden',
          });
        break;
      default:
        out.push({ field: `${p}.operator`, value: expr.operator, message: 'not a valid selector operator', reason: 'FieldValueInvalid' });
    }
    for (const m of isQualifiedName(expr.key ?? '')) out.push({ field: `${p}.key`, value: expr.key, message: m, reason: 'FieldValueInvalid' });
    vals.forEach((v, j) => {
      for (const m of isValidLabelValue(v)) out.push({ field: `${p}.values[${j}]`, value: v, message: m, reason: 'FieldValueInvalid' });
    });
  });
  return out;
}
