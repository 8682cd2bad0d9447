// pods/<name>/binding (upstream's BindingREST): POST a Binding to assign the pod to a node, once. The
// Binding goes through admission (CREATE of pods/binding); the pod then gets spec.nodeName and PodScheduled.
import { badRequest, conflict } from '../../api/errors.js';
import type { KubeObject } from '../../api/types.js';
import type { Pod, PodCondition } from '../../api/core/v1/types.js';
import { asObject, decodeBody, mediaType, readBody } from '../body.js';
import { admissionAttributes } from '../handlers/admission.js';
import { isDryRun } from '../handlers/context.js';
import { nowRFC3339 } from '../rest/meta.js';
import type { SubresourceDef } from '../registry.js';
import { defineSubresource } from './define.js';
import { successStatus, writeJSON } from '../respond.js';

const BINDING_KIND = { group: '', kind: 'Binding' };

export const podBinding: SubresourceDef<Pod> = defineSubresource<Pod>({
  kind: BINDING_KIND,
  verbs: ['create'],
  strategy: {
    // the binding handler set spec.nodeName and the PodScheduled condition; nothing else is the client's.
    // Shallow copies of the stored object (its own decoded copy, not kept by the store): a binding per
    // scheduled pod makes a deep clone of the whole pod here a cost that shows in the scheduler's throughput.
    prepareForUpdate(obj, old) {
      const next: Pod = {
        ...old,
        metadata: { ...old.metadata, resourceVersion: obj.metadata.resourceVersion },
        spec: { ...(old.spec ?? { containers: [] }), nodeName: obj.spec?.nodeName },
        status: obj.status,
      };
      for (const k of Object.keys(obj)) delete obj[k];
      Object.assign(obj, next);
    },
  },
  async serve(ctx) {
    const body = asObject(decodeBody(await readBody(ctx.req), mediaType(ctx.req)));
    const binding = { ...body, metadata: (body.metadata ?? {}) as KubeObject['metadata'] } as KubeObject;
    const attrs = admissionAttributes(ctx, 'CREATE', binding, undefined, { kind: BINDING_KIND });
    await ctx.svc.admission.admit(attrs);
    const target = binding.target as { name?: string; kind?: string } | undefined;
    if (!target?.name) throw badRequest('Binding target.name is required');
    await ctx.svc.admission.validate(attrs);
    const name = ctx.info.name!;
    const gr = { group: '', resource: 'pods/binding' };
    await ctx.store.guaranteedUpdate(
      ctx.info.namespace,
      name,
      (cur) => {
        const pod = cur as Pod;
        const spec = (pod.spec ??= { containers: [] });
        if (pod.metadata.deletionTimestamp) throw conflict(gr, name, `pod ${name} is being deleted, cannot be assigned to a host`);
        if (spec.nodeName) throw conflict(gr, name, `pod ${name} is already assigned to node "${spec.nodeName}"`);
        spec.nodeName = target.name;
        // as upstream's binding REST does: the pod is now scheduled
        const status = (pod.status ??= {});
        const conds: PodCondition[] = (status.conditions ?? []).filter((c) => c.type !== 'PodScheduled');
        conds.push({ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: nowRFC3339() });
        status.conditions = conds;
        return pod;
      },
      { subresource: 'binding', dryRun: isDryRun(ctx.query) },
    );
    writeJSON(ctx.res, 201, successStatus());
  },
});
