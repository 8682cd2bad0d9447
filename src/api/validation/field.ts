// Field-error builders beyond src/api/errors.ts fieldErr (NotFound, TooMany, nonnegative checks) and
// validators that turn names.ts message lists into StatusCauses at a field path.
import { fieldErr } from '../errors.js';
import type { StatusCause } from '../types.js';
import { isDNS1123Label, isDNS1123Subdomain, isDNS1035Label, isQualifiedName, isValidLabelValue } from '../names.js';

export type Causes = StatusCause[];

export const moreFieldErr = {
  notFound: (field: string, value: unknown): StatusCause => ({ reason: 'FieldValueNotFound', field, message: `Not found: ${JSON.stringify(value)}` }),
  tooMany: (field: string, actual: number, max: number): StatusCause => ({
    reason: 'FieldValueTooMany',
    field,
    message: `Too many: ${actual}: must have at most ${max} items`,
  }),
};

function fromMsgs(msgs: string[], field: string, value: unknown): Causes {
  return msgs.map((m) => fieldErr.invalid(field, value, m));
}

export function validateDNS1123Label(value: string, field: string): Causes {
  return fromMsgs(isDNS1123Label(value), field, value);
}

export function validateDNS1123Subdomain(value: string, field: string): Causes {
  return fromMsgs(isDNS1123Subdomain(value), field, value);
}

export function validateDNS1035Label(value: string, field: string): Causes {
  return fromMsgs(isDNS1035Label(value), field, value);
}

export function validateQualifiedName(value: string, field: string): Causes {
  return fromMsgs(isQualifiedName(value), field, value);
}

export function validateNonnegative(value: unknown, field: string): Causes {
  if (value === undefined || value === null) return [];
  if (typeof value !== 'number' || !Number.isInteger(value)) return [fieldErr.invalid(field, value, 'must be an integer')];
  return value < 0 ? [fieldErr.invalid(field, value, 'must be greater than or equal to 0')] : [];
}

export function validatePositive(value: unknown, field: string): Causes {
  if (value === undefined || value === null) return [];
  if (typeof value !== 'number' || !Number.isInteger(value)) return [fieldErr.invalid(field, value, 'must be an integer')];
  return value <= 0 ? [fieldErr.invalid(field, value, 'must be greater than 0')] : [];
}

/** Label map: keys qualified names, values label values (upstream ValidateLabels). */
export function validateLabels(labels: unknown, field: string): Causes {
  if (labels === undefined || labels === null) return [];
  if (typeof labels !== 'object' || Array.isArray(labels)) return [fieldErr.typeInvalid(field, labels, 'must be a map of string to string')];
  const out: Causes = [];
  for (const [k, v] of Object.entries(labels as Record<string, unknown>)) {
    out.push(...fromMsgs(isQualifiedName(k), field, k));
    if (typeof v !== 'string') {
      out.push(fieldErr.typeInvalid(field, v, 'must be a string'));
      continue;
    }
    out.push(...fromMsgs(isValidLabelValue(v), field, v));
  }
  return out;
}

export function isValidIP(s: unknown): boolean {
  if (typeof s !== 'string') return false;
  const v4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
  if (v4.test(s)) return true;
  if (!s.includes(':') || !/^[0-9a-fA-F:.]+$/.test(s)) return false;
  try {
    new URL(`http://[${s}]/`);
    return true;
  } catch {
    return false;
  }
}

export function isValidCIDR(s: unknown): boolean {
  if (typeof s !== 'string') return false;
  const slash = s.indexOf('/');
  if (slash < 0) return false;
  const ip = s.slice(0, slash);
  const bits = s.slice(slash + 1);
  if (!/^\d{1,3}$/.test(bits) || !isValidIP(ip)) return false;
  return Number(bits) <= (ip.includes(':') ? 128 : 32);
}
