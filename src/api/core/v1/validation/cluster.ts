// Validation of Namespace, Node, ServiceAccount, Event and Lease objects (create and update).
import { fieldErr } from '../../../errors.js';
import { nameIsDNSLabel, nameIsDNSSubdomain, isDNS1123Subdomain, isValidLabelValue } from '../../../names.js';
import { type Causes, isValidCIDR, validateNonnegative, validateQualifiedName } from '../../../validation/field.js';
import { validateFinalizerName, validateObjectMeta, validateObjectMetaUpdate } from '../../../validation/object_meta.js';
import type { Event, Lease, Namespace, Node, ServiceAccount, Taint } from '../types.js';
import { validateResourceList } from './resources.js';
import { validateTaintEffect } from './pod_spec.js';

const notMeta = (c: { field?: string }) => !c.field?.startsWith('metadata.');

// ---- Namespace ----
export function validateNamespace(ns: Namespace): Causes {
  const out = validateObjectMeta(ns.metadata, false, nameIsDNSLabel);
  for (const f of ns.spec?.finalizers ?? []) out.push(...validateFinalizerName(f, 'spec.finalizers'));
  const phase = ns.status?.phase;
  if (phase !== undefined && !['Active', 'Terminating'].includes(phase)) out.push(fieldErr.notSupported('status.phase', phase, ['Active', 'Terminating']));
  return out;
}

export function validateNamespaceUpdate(ns: Namespace, old: Namespace): Causes {
  return [...validateObjectMetaUpdate(ns.metadata, old.metadata), ...validateNamespace(ns).filter(notMeta)];
}

// ---- Node ----
function validateTaints(taints: Taint[] | undefined, field: string): Causes {
  const out: Causes = [];
  const seen = new Set<string>();
  (taints ?? []).forEach((t, i) => {
    const p = `${field}[${i}]`;
    out.push(...validateQualifiedName(t.key ?? '', `${p}.key`));
    const errs = isValidLabelValue(t.value ?? '');
    if (errs.length) out.push(fieldErr.invalid(`${p}.value`, t.value, errs.join(';')));
    out.push(...validateTaintEffect(t.effect, false, `${p}.effect`));
    const k = `${t.key}:${t.effect}`;
    if (seen.has(k)) out.push(fieldErr.duplicate(p, t));
    seen.add(k);
  });
  if (out.some((c) => c.reason === 'FieldValueDuplicate')) {
    return out.map((c) => (c.reason === 'FieldValueDuplicate' ? { ...c, message: `${c.message}: taints must be unique by key and effect pair` } : c));
  }
  return out;
}

export function validateNode(n: Node): Causes {
  const out = validateObjectMeta(n.metadata, false, nameIsDNSSubdomain);
  const spec = n.spec ?? {};
  const cidrs = spec.podCIDRs ?? [];
  cidrs.forEach((c, i) => {
    if (!isValidCIDR(c)) out.push(fieldErr.invalid(`spec.podCIDRs[${i}]`, c, 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)'));
  });
  if (cidrs.length > 2) out.push(fieldErr.invalid('spec.podCIDRs', cidrs, 'may specify no more than one CIDR for each IP family'));
  if (spec.podCIDR && !isValidCIDR(spec.podCIDR))
    out.push(fieldErr.invalid('spec.podCIDR', spec.podCIDR, 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)'));
  out.push(...validateTaints(spec.taints, 'spec.taints'));
  out.push(...validateResourceList(n.status?.capacity, 'status.capacity'));
  out.push(...validateResourceList(n.status?.allocatable, 'status.allocatable'));
  (n.status?.addresses ?? []).forEach((a, i) => {
    if (!a.type) out.push(fieldErr.required(`status.addresses[${i}].type`));
    if (!a.address) out.push(fieldErr.required(`status.addresses[${i}].address`));
  });
  return out;
}

export function validateNodeUpdate(n: Node, old: Node): Causes {
  const out = [...validateObjectMetaUpdate(n.metadata, old.metadata), ...validateNode(n).filter(notMeta)];
  const oldC = old.spec?.podCIDRs ?? (old.spec?.podCIDR ? [old.spec.podCIDR] : []);
  const newC = n.spec?.podCIDRs ?? (n.spec?.podCIDR ? [n.spec.podCIDR] : []);
  if (oldC.length > 0 && JSON.stringify(oldC) !== JSON.stringify(newC))
    out.push(fieldErr.forbidden('spec.podCIDRs', 'node updates may not change podCIDR except from "" to valid'));
  if (old.spec?.providerID && n.spec?.providerID !== old.spec.providerID)
    out.push(fieldErr.forbidden('spec.providerID', 'node updates may not change providerID except from "" to valid'));
  return out;
}

// ---- ServiceAccount ----
export function validateServiceAccount(sa: ServiceAccount): Causes {
  const out = validateObjectMeta(sa.metadata, true, nameIsDNSSubdomain);
  (sa.imagePullSecrets ?? []).forEach((s, i) => {
    if (!s.name) out.push(fieldErr.required(`imagePullSecrets[${i}].name`));
  });
  return out;
}

export function validateServiceAccountUpdate(sa: ServiceAccount, old: ServiceAccount): Causes {
  return [...validateObjectMetaUpdate(sa.metadata, old.metadata), ...validateServiceAccount(sa).filter(notMeta)];
}

// ---- Event (core/v1 legacy rules) ----
export const ReportingInstanceLengthLimit = 128;
export const ActionLengthLimit = 128;
export const ReasonLengthLimit = 128;
export const NoteLengthLimit = 1024;

export function validateEvent(ev: Event): Causes {
  const out = validateObjectMeta(ev.metadata, true, nameIsDNSSubdomain);
  const ns = ev.metadata?.namespace ?? '';
  const ioNs = ev.involvedObject?.namespace ?? '';
  if (!ev.eventTime) {
    if (!ioNs) {
      if (ns !== '' && ns !== 'default') out.push(fieldErr.invalid('involvedObject.namespace', ioNs, 'does not match event.namespace'));
    } else if (ns !== ioNs) {
      out.push(fieldErr.invalid('involvedObject.namespace', ioNs, 'does not match event.namespace'));
    }
  } else {
    if (!ioNs && ns !== 'default' && ns !== 'kube-system') out.push(fieldErr.invalid('involvedObject.namespace', ioNs, 'does not match event.namespace'));
    if (!ev.reportingComponent) out.push(fieldErr.required('reportingComponent'));
    out.push(...validateQualifiedName(ev.reportingComponent ?? '', 'reportingComponent'));
    if (!ev.reportingInstance) out.push(fieldErr.required('reportingInstance'));
    if ((ev.reportingInstance ?? '').length > ReportingInstanceLengthLimit)
      out.push(fieldErr.invalid('reportingInstance', '', `can have at most ${ReportingInstanceLengthLimit} characters`));
    if (!ev.action) out.push(fieldErr.required('action'));
    if ((ev.action ?? '').length > ActionLengthLimit) out.push(fieldErr.invalid('action', '', `can have at most ${ActionLengthLimit} characters`));
    if (!ev.reason) out.push(fieldErr.required('reason'));
    if ((ev.reason ?? '').length > ReasonLengthLimit) out.push(fieldErr.invalid('reason', '', `can have at most ${ReasonLengthLimit} characters`));
    if ((ev.message ?? '').length > NoteLengthLimit) out.push(fieldErr.invalid('message', '', `can have at most ${NoteLengthLimit} characters`));
    if (ev.type !== undefined && !['Normal', 'Warning'].includes(ev.type)) out.push(fieldErr.notSupported('type', ev.type, ['Normal', 'Warning']));
  }
  for (const m of isDNS1123Subdomain(ns)) out.push(fieldErr.invalid('namespace', ns, m));
  out.push(...validateNonnegative(ev.count, 'count'));
  return out;
}

export function validateEventUpdate(ev: Event, old: Event): Causes {
  return [...validateObjectMetaUpdate(ev.metadata, old.metadata), ...validateEvent(ev).filter(notMeta)];
}

// ---- Lease (coordination.k8s.io/v1) ----
export function validateLease(l: Lease): Causes {
  const out = validateObjectMeta(l.metadata, true, nameIsDNSSubdomain);
  const s = l.spec ?? {};
  if (s.leaseDurationSeconds !== undefined && !(s.leaseDurationSeconds > 0))
    out.push(fieldErr.invalid('spec.leaseDurationSeconds', s.leaseDurationSeconds, 'must be greater than 0'));
  out.push(...validateNonnegative(s.leaseTransitions, 'spec.leaseTransitions'));
  return out;
}

export function validateLeaseUpdate(l: Lease, old: Lease): Causes {
  return [...validateObjectMetaUpdate(l.metadata, old.metadata), ...validateLease(l).filter(notMeta)];
}
