// Validation of resource lists (container/pod resources, node capacity): names, quantities that parse
// and are non-negative, and requests <= limits (== for non-overcommittable resources).
import { fieldErr } from '../../../errors.js';
import { isQualifiedName } from '../../../names.js';
import { parseQuantity, type Quantity } from '../../../quantity.js';
import type { Causes } from '../../../validation/field.js';
import type { ResourceList, ResourceRequirements } from '../types.js';

const standardContainerResources = new Set(['cpu', 'memory', 'ephemeral-storage']);

export function isHugePageResourceName(name: string): boolean {
  return name.startsWith('hugepages-');
}

/** Extended resources (vendor.example/gpu) and hugepages may not be overcommitted. */
export function isOvercommitAllowed(name: string): boolean {
  const native = !name.includes('/') || name.includes('kubernetes.io/');
  return native && !isHugePageResourceName(name);
}

function validateContainerResourceName(name: string, field: string): Causes {
  const out = isQualifiedName(name).map((m) => fieldErr.invalid(field, name, m));
  if (out.length) return out;
  if (!name.includes('/') && !standardContainerResources.has(name) && !isHugePageResourceName(name)) {
    out.push(fieldErr.invalid(field, name, 'must be a standard resource for containers'));
  }
  return out;
}

/** Parses a quantity at `field`, appending an error if it does not parse or is negative. */
export function validateQuantity(value: unknown, field: string, out: Causes, resourceName?: string): Quantity | undefined {
  let q: Quantity;
  try {
    if (typeof value !== 'string' && typeof value !== 'number')
      throw new Error("quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
    q = parseQuantity(value);
  } catch (e) {
    out.push(fieldErr.invalid(field, value, (e as Error).message));
    return undefined;
  }
  if (q.sign() < 0) {
    out.push(fieldErr.invalid(field, q.toString(), 'must be greater than or equal to 0'));
    return undefined;
  }
  if (resourceName && resourceName.includes('/') && q.nanos % 1000000000n !== 0n) {
    out.push(fieldErr.invalid(field, q.toString(), 'must be an integer'));
  }
  return q;
}

/** Validates any ResourceList (e.g. node capacity) for parseable, non-negative quantities. */
export function validateResourceList(list: ResourceList | undefined, field: string): Causes {
  const out: Causes = [];
  for (const [name, v] of Object.entries(list ?? {})) {
    for (const m of isQualifiedName(name)) out.push(fieldErr.invalid(`${field}[${name}]`, name, m));
    validateQuantity(v, `${field}[${name}]`, out, name);
  }
  return out;
}

export function validateResourceRequirements(req: ResourceRequirements | undefined, field: string): Causes {
  const out: Causes = [];
  if (!req) return out;
  const limPath = `${field}.limits`;
  const reqPath = `${field}.requests`;
  const limits = new Map<string, Quantity>();
  for (const [name, v] of Object.entries(req.limits ?? {})) {
    const p = `${limPath}[${name}]`;
    out.push(...validateContainerResourceName(name, p));
    const q = validateQuantity(v, p, out, name);
    if (q) limits.set(name, q);
  }
  for (const [name, v] of Object.entries(req.requests ?? {})) {
    const p = `${reqPath}[${name}]`;
    out.push(...validateContainerResourceName(name, p));
    const q = validateQuantity(v, p, out, name);
    if (!q) continue;
    const lim = limits.get(name);
    if (lim) {
      if (q.cmp(lim) !== 0 && !isOvercommitAllowed(name)) {
        out.push(fieldErr.invalid(reqPath, q.toString(), `must be equal to ${name} limit of ${lim.toString()}`));
      } else if (q.cmp(lim) > 0) {
        out.push(fieldErr.invalid(reqPath, q.toString(), `must be less than or equal to ${name} limit of ${lim.toString()}`));
      }
    } else if (!isOvercommitAllowed(name)) {
      out.push(fieldErr.required(limPath, 'Limit must be set for non overcommitable resources'));
    }
  }
  return out;
}
