// Kubernetes resource quantities ("100m", "2Gi", "1e3"): parsing with upstream error wording, exact
// comparison/arithmetic (held as an integer count of nano-units), and the canonical string form.

export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

export const quantityRegexError = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
export const quantityNumericError = 'unable to parse numeric part of quantity';
export const quantitySuffixError = "unable to parse quantity's suffix";

export class QuantityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QuantityError';
  }
}

const decimalSuffixes: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const binarySuffixes: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const decimalExpToSuffix = new Map<number, string>(Object.entries(decimalSuffixes).map(([k, v]) => [v, k]));
const binaryExpToSuffix = new Map<number, string>(Object.entries(binarySuffixes).map(([k, v]) => [v, k]));

const quantityRe = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/;
const NANO = 10n ** 9n;
const MAX_EXPONENT = 1000; // keeps BigInt sizes sane for hostile input like "1e999999999"

function pow10(n: number): bigint {
  return 10n ** BigInt(n);
}

function abs(v: bigint): bigint {
  return v < 0n ? -v : v;
}

/** Divide rounding away from zero (upstream rounds sub-nano amounts up). */
function divUp(a: bigint, b: bigint): bigint {
  const q = a / b;
  if (q * b === a) return q;
  return a < 0n ? q - 1n : q + 1n;
}

export class Quantity {
  /** Exact value in units of 1e-9. */
  readonly nanos: bigint;
  readonly format: QuantityFormat;

  constructor(nanos: bigint, format: QuantityFormat = 'DecimalSI') {
    this.nanos = nanos;
    this.format = format;
  }

  static fromNumber(n: number, format: QuantityFormat = 'DecimalSI'): Quantity {
    return parseQuantity(String(n)).withFormat(format);
  }

  static fromMilli(milli: number | bigint, format: QuantityFormat = 'DecimalSI'): Quantity {
    return new Quantity(BigInt(milli) * 1000000n, format);
  }

  withFormat(format: QuantityFormat): Quantity {
    return new Quantity(this.nanos, format);
  }

  isZero(): boolean {
    return this.nanos === 0n;
  }

  sign(): -1 | 0 | 1 {
    return this.nanos === 0n ? 0 : this.nanos < 0n ? -1 : 1;
  }

  cmp(other: Quantity): -1 | 0 | 1 {
    return this.nanos === other.nanos ? 0 : this.nanos < other.nanos ? -1 : 1;
  }

  equals(other: Quantity): boolean {
    return this.nanos === other.nanos;
  }

  add(other: Quantity): Quantity {
    return new Quantity(this.nanos + other.nanos, this.format);
  }

  sub(other: Quantity): Quantity {
    return new Quantity(this.nanos - other.nanos, this.format);
  }

  neg(): Quantity {
    return new Quantity(-this.nanos, this.format);
  }

  /** Value scaled to 10^scale units, rounded away from zero (upstream ScaledValue). */
  scaledValue(scale: number): bigint {
    const e = scale + 9;
    return e >= 0 ? divUp(this.nanos, pow10(e)) : this.nanos * pow10(-e);
  }

  /** Integer value rounded up (bytes for memory, whole cores for cpu), like upstream Value(). */
  value(): number {
    return Number(this.scaledValue(0));
  }

  /** Milli-units rounded up, like upstream MilliValue(). */
  milliValue(): number {
    return Number(this.scaledValue(-3));
  }

  /** Floating point approximation (for display/scoring only). */
  asApproximateFloat64(): number {
    return Number(this.nanos) / 1e9;
  }

  toString(): string {
    return canonicalize(this.nanos, this.format);
  }

  toJSON(): string {
    return this.toString();
  }
}

function canonicalize(nanos: bigint, format: QuantityFormat): string {
  if (nanos === 0n) return '0';
  let fmt = format;
  if (fmt === 'BinarySI') {
    if (abs(nanos) < 1024n * NANO || nanos % NANO !== 0n) fmt = 'DecimalSI';
  }
  const neg = nanos < 0n;
  if (fmt === 'BinarySI') {
    let mant = abs(nanos / NANO);
    let exp = 0;
    while (exp < 60 && mant % 1024n === 0n) {
      mant /= 1024n;
      exp += 10;
    }
    return (neg ? '-' : '') + mant.toString() + binaryExpToSuffix.get(exp)!;
  }
  // Decimal: mantissa * 10^exp with exp a multiple of 3, smallest mantissa without losing digits.
  let mant = abs(nanos);
  let exp = -9;
  while (mant % 10n === 0n) {
    mant /= 10n;
    exp += 1;
  }
  const rem = ((exp % 3) + 3) % 3;
  if (rem !== 0) {
    mant *= pow10(rem);
    exp -= rem;
  }
  let suffix: string;
  if (fmt === 'DecimalExponent') {
    suffix = exp === 0 ? '' : `e${exp}`;
  } else {
    const s = decimalExpToSuffix.get(exp);
    suffix = s !== undefined ? s : `e${exp}`;
  }
  return (neg ? '-' : '') + mant.toString() + suffix;
}

interface ParsedSuffix {
  base: 10 | 2;
  exponent: number;
  format: QuantityFormat;
}

function interpretSuffix(suffix: string): ParsedSuffix | undefined {
  if (Object.prototype.hasOwnProperty.call(decimalSuffixes, suffix)) return { base: 10, exponent: decimalSuffixes[suffix]!, format: 'DecimalSI' };
  if (Object.prototype.hasOwnProperty.call(binarySuffixes, suffix)) return { base: 2, exponent: binarySuffixes[suffix]!, format: 'BinarySI' };
  if (suffix.length > 1 && (suffix[0] === 'e' || suffix[0] === 'E')) {
    const rest = suffix.slice(1);
    if (!/^[-+]?[0-9]+$/.test(rest)) return undefined;
    return { base: 10, exponent: Number(rest), format: 'DecimalExponent' };
  }
  return undefined;
}

/** Parses a quantity; accepts a JSON number too. Throws QuantityError with upstream wording. */
export function parseQuantity(input: string | number): Quantity {
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) throw new QuantityError(quantityRegexError);
    input = String(input);
  }
  if (typeof input !== 'string' || input.length === 0) throw new QuantityError(quantityRegexError);
  const m = quantityRe.exec(input);
  if (!m) throw new QuantityError(quantityRegexError);
  let num = m[1]!;
  const suffixText = m[2]!;
  let negative = false;
  if (num[0] === '+' || num[0] === '-') {
    negative = num[0] === '-';
    num = num.slice(1);
  }
  const dot = num.indexOf('.');
  if (dot !== num.lastIndexOf('.') || num === '.' || num.length === 0) throw new QuantityError(quantityNumericError);
  const intPart = dot >= 0 ? num.slice(0, dot) : num;
  const fracPart = dot >= 0 ? num.slice(dot + 1) : '';
  const suffix = interpretSuffix(suffixText);
  if (!suffix) throw new QuantityError(quantitySuffixError);
  if (Math.abs(suffix.exponent) > MAX_EXPONENT) throw new QuantityError(quantityNumericError);
  const digits = BigInt((intPart + fracPart).replace(/^0+(?=.)/, '') || '0');
  // value = digits * 10^(-frac) * base^exponent; in nanos multiply by 10^9.
  let numerator = digits;
  let decExp = 9 - fracPart.length;
  if (suffix.base === 10) decExp += suffix.exponent;
  else numerator *= 2n ** BigInt(suffix.exponent);
  const nanos = decExp >= 0 ? numerator * pow10(decExp) : divUp(numerator, pow10(-decExp));
  let format = suffix.format;
  if (format === 'BinarySI' && nanos > 0n && nanos < NANO) format = 'DecimalSI';
  return new Quantity(negative ? -nanos : nanos, format);
}

export function tryParseQuantity(input: unknown): Quantity | undefined {
  if (typeof input !== 'string' && typeof input !== 'number') return undefined;
  try {
    return parseQuantity(input);
  } catch {
    return undefined;
  }
}

/** Returns the upstream error message for an invalid quantity, or undefined if it parses. */
export function quantityError(input: unknown): string | undefined {
  if (typeof input !== 'string' && typeof input !== 'number') return quantityRegexError;
  try {
    parseQuantity(input);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

export function compareQuantities(a: string | number | Quantity, b: string | number | Quantity): -1 | 0 | 1 {
  const qa = a instanceof Quantity ? a : parseQuantity(a);
  const qb = b instanceof Quantity ? b : parseQuantity(b);
  return qa.cmp(qb);
}

/** Canonical serialised form, e.g. "1000m" -> "1", "1.5Gi" -> "1536Mi", "0.5" -> "500m". */
export function canonicalQuantity(input: string | number): string {
  return parseQuantity(input).toString();
}

/** Milli-units (CPU millicores), rounded up. */
export function quantityToMilli(input: string | number): number {
  return parseQuantity(input).milliValue();
}

/** Whole units (bytes for memory/storage), rounded up. */
export function quantityToBytes(input: string | number): number {
  return parseQuantity(input).value();
}

/** Canonicalises every quantity of a ResourceList in place-free fashion (returns a new object). */
export function canonicalResourceList(list: Record<string, string | number> | undefined): Record<string, string> | undefined {
  if (!list) return list as undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(list)) {
    const q = tryParseQuantity(v);
    out[k] = q ? q.toString() : String(v);
  }
  return out;
}
