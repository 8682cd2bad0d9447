// Admission attributes from a request: what the write and connect handlers hand to the admission chain,
// directly (connect, binding) or as the store's admission hooks (create, update, patch, delete).
import type { KubeObject } from '../../api/types.js';
import type { AdmissionAttributes, Operation } from '../admission/interfaces.js';
import type { StoreAdmission } from '../rest/store.js';
import { isDryRun, type HandlerContext } from './context.js';

export type AdmissionContext = Pick<HandlerContext, 'info' | 'def' | 'query' | 'svc' | 'user'>;

export function admissionAttributes(
  ctx: AdmissionContext,
  operation: Operation,
  object: KubeObject | undefined,
  oldObject: KubeObject | undefined,
  o: { kind?: { group: string; kind: string }; dryRun?: boolean } = {},
): AdmissionAttributes {
  const { def, info } = ctx;
  const meta = object?.metadata ?? oldObject?.metadata;
  return {
    operation,
    kind: { group: o.kind?.group ?? def.group, version: def.version, kind: o.kind?.kind ?? def.kind },
    resource: { group: def.group, version: def.version, resource: def.resource },
    subresource: info.subresource ?? '',
    namespace: def.namespaced ? (info.namespace ?? meta?.namespace ?? '') : '',
    name: info.name ?? meta?.name ?? '',
    object,
    oldObject,
    dryRun: o.dryRun ?? isDryRun(ctx.query),
    userInfo: ctx.user,
  };
}

/** Admission hooks for one write through the store; the operation follows from which objects exist. */
export function storeAdmission(ctx: AdmissionContext, dryRun?: boolean): StoreAdmission {
  const attrs = (obj: KubeObject | undefined, old: KubeObject | undefined) =>
    admissionAttributes(ctx, !old ? 'CREATE' : !obj ? 'DELETE' : 'UPDATE', obj, old, { dryRun });
  return {
    mutate: (obj, old) => ctx.svc.admission.admit(attrs(obj, old)),
    validate: (obj, old) => ctx.svc.admission.validate(attrs(obj, old)),
  };
}
