// pods/<name>/eviction (upstream's EvictionREST, pkg/registry/core/pod/storage/eviction.go): POST a policy/v1
// (or v1beta1) Eviction to delete a pod gracefully unless that would break its PodDisruptionBudget. The
// budget's disruptionsAllowed is decremented and the pod recorded in status.disruptedPods (for the disruption
// controller) before the delete; a budget at zero, or not yet observed by the controller, is a 429.
import { badRequest, internalError, forbidden, makeStatus, StatusError } from '../../api/errors.js';
import type { Pod } from '../../api/core/v1/types.js';
import { labelSelectorAsSelector } from '../../api/labels.js';
import type { Eviction, PodDisruptionBudget } from '../../api/policy/v1/types.js';
import { DISRUPTION_ALLOWED_CONDITION, DISRUPTION_BUDGET_CAUSE, INSUFFICIENT_PODS_REASON } from '../../api/policy/v1/types.js';
import type { KubeObject } from '../../api/types.js';
import { asObject, decodeBody, mediaType, readBody } from '../body.js';
import { admissionAttributes } from '../handlers/admission.js';
import type { HandlerContext } from '../handlers/context.js';
import { deleteOptionsFrom } from '../handlers/write.js';
import { nowRFC3339 } from '../rest/meta.js';
import type { DeleteOptions } from '../rest/store.js';
import type { SubresourceDef } from '../registry.js';
import { successStatus, writeJSON } from '../respond.js';
import { defineSubresource } from './define.js';

const EVICTION_KIND = { group: 'policy', version: 'v1', kind: 'Eviction' };
const EVICTION_VERSIONS = ['policy/v1', 'policy/v1beta1'];
/** Upstream's MaxDisruptedPodSize: evictions the controller has not confirmed yet. */
const MAX_DISRUPTED_POD_SIZE = 2000;
const VIOLATION = "Cannot evict pod as it would violate the pod's disruption budget.";
const PDB_GR = { group: 'policy', resource: 'poddisruptionbudget' };

function tooManyRequests(retryAfterSeconds: number, cause: string): StatusError {
  const s = makeStatus(429, 'TooManyRequests', VIOLATION, { retryAfterSeconds, causes: [{ reason: DISRUPTION_BUDGET_CAUSE, message: cause }] });
  return new StatusError(s);
}

function isPodReady(pod: Pod): boolean {
  return (pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

/** Pods whose eviction needs no budget check (upstream canIgnorePDB). */
function canIgnorePDB(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed' || phase === 'Pending' || pod.metadata.deletionTimestamp !== undefined;
}

function decodeEviction(raw: Record<string, unknown>, podName: string): Eviction {
  if (raw.apiVersion !== undefined && !EVICTION_VERSIONS.includes(String(raw.apiVersion)))
    throw badRequest(`the API version in the data (${String(raw.apiVersion)}) does not match the expected API version (policy/v1)`);
  if (raw.kind !== undefined && raw.kind !== 'Eviction')
    throw badRequest(`the kind in the data (${String(raw.kind)}) does not match the expected kind (Eviction)`);
  const ev = raw as Eviction;
  if (ev.metadata?.name !== undefined && ev.metadata.name !== podName) throw badRequest('name in URL does not match name in Eviction object');
  if (ev.deleteOptions !== undefined && (typeof ev.deleteOptions !== 'object' || Array.isArray(ev.deleteOptions)))
    throw badRequest('deleteOptions must be an object');
  return ev;
}

/** Decrements the one matching budget or says why not (upstream checkAndDecrement); 'unhealthy': the pod goes without a decrement. */
async function checkAndDecrement(ctx: HandlerContext, pod: Pod, pdb: PodDisruptionBudget, dryRun: boolean): Promise<'decremented' | 'unhealthy'> {
  const def = ctx.svc.lookup('policy', 'v1', 'poddisruptionbudgets')!;
  const store = ctx.svc.storeFor(def);
  let outcome: 'decremented' | 'unhealthy' = 'decremented';
  const mutate = (cur: KubeObject): KubeObject => {
    const p = cur as PodDisruptionBudget;
    const st = p.status ?? { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 };
    const name = p.metadata.name!;
    if ((st.observedGeneration ?? 0) < (p.metadata.generation ?? 0))
      throw tooManyRequests(10, `The disruption budget ${name} is still being processed by the server.`);
    if (!isPodReady(pod)) {
      // an unhealthy pod does not count towards the budget (unhealthyPodEvictionPolicy)
      const policy = p.spec?.unhealthyPodEvictionPolicy ?? 'IfHealthyBudget';
      if (policy === 'AlwaysAllow' || (st.currentHealthy >= st.desiredHealthy && st.desiredHealthy > 0)) {
        outcome = 'unhealthy';
        return cur;
      }
    }
    if (st.disruptionsAllowed < 0) throw forbidden(PDB_GR, name, 'pdb disruptions allowed is negative');
    if (Object.keys(st.disruptedPods ?? {}).length > MAX_DISRUPTED_POD_SIZE)
      throw forbidden(PDB_GR, name, 'DisruptedPods map too big - too many evictions not confirmed by PDB controller');
    if (st.disruptionsAllowed === 0)
      throw tooManyRequests(0, `The disruption budget ${name} needs ${st.desiredHealthy} healthy pods and has ${st.currentHealthy} currently`);
    st.disruptionsAllowed--;
    if (st.disruptionsAllowed === 0) {
      const conds = (st.conditions ?? []).filter((c) => c.type !== DISRUPTION_ALLOWED_CONDITION);
      const old = (st.conditions ?? []).find((c) => c.type === DISRUPTION_ALLOWED_CONDITION);
      conds.push({
        type: DISRUPTION_ALLOWED_CONDITION,
        status: 'False',
        reason: INSUFFICIENT_PODS_REASON,
        message: '',
        observedGeneration: st.observedGeneration,
        lastTransitionTime: old?.status === 'False' ? old.lastTransitionTime : nowRFC3339(),
      });
      st.conditions = conds;
    }
    (st.disruptedPods ??= {})[pod.metadata.name!] = nowRFC3339();
    p.status = st;
    return p;
  };
  // check and decrement on the freshest budget, atomically (the store retries on a conflicting write)
  await store.guaranteedUpdate(ctx.info.namespace, pdb.metadata.name!, mutate, { subresource: 'status', dryRun });
  return outcome;
}

export const podEviction: SubresourceDef<Pod> = defineSubresource<Pod>({
  kind: EVICTION_KIND,
  verbs: ['create'],
  async serve(ctx) {
    const name = ctx.info.name!;
    const ev = decodeEviction(asObject(decodeBody(await readBody(ctx.req), mediaType(ctx.req)), 'Eviction'), name);
    const evObj = { ...ev, metadata: { ...(ev.metadata ?? {}), name, namespace: ctx.info.namespace } } as KubeObject;
    const attrs = admissionAttributes(ctx, 'CREATE', evObj, undefined, { kind: EVICTION_KIND });
    await ctx.svc.admission.admit(attrs);
    await ctx.svc.admission.validate(attrs);
    const opts: DeleteOptions = deleteOptionsFrom(ctx, ev.deleteOptions as Record<string, unknown> | undefined);
    if (ev.deleteOptions?.dryRun?.includes('All')) opts.dryRun = true;
    const dryRun = opts.dryRun ?? false;

    const pod = (await ctx.store.get(ctx.info.namespace, name)) as Pod;
    if (!canIgnorePDB(pod)) {
      const budgets = await matchingBudgets(ctx, pod);
      if (budgets.length > 1) throw internalError('This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.');
      if (budgets.length === 1) {
        const outcome = await checkAndDecrement(ctx, pod, budgets[0]!, dryRun);
        // an unhealthy pod goes only if it is still the pod we judged (upstream adds an RV precondition)
        if (outcome === 'unhealthy') opts.preconditions = { ...(opts.preconditions ?? {}), resourceVersion: pod.metadata.resourceVersion };
      }
    }
    await ctx.store.delete(ctx.info.namespace, name, opts);
    writeJSON(ctx.res, 201, { ...successStatus(), code: 201 });
  },
});

async function matchingBudgets(ctx: HandlerContext, pod: Pod): Promise<PodDisruptionBudget[]> {
  const def = ctx.svc.lookup('policy', 'v1', 'poddisruptionbudgets');
  if (!def) return [];
  const { items } = await ctx.svc.storeFor(def).list(ctx.info.namespace);
  return (items as PodDisruptionBudget[]).filter((p) => {
    try {
      return labelSelectorAsSelector(p.spec?.selector).matches(pod.metadata.labels ?? {});
    } catch {
      return false;
    }
  });
}
