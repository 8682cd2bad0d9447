// The "scale" subresource (upstream's ScaleREST): a scalable kind seen as an autoscaling/v1 Scale.
// GET returns spec.replicas, status.replicas and the selector as a string; PUT and PATCH change only the
// parent's spec.replicas (its generation bumps, as for any spec change). `scaleSubresource` takes how a kind
// exposes those three values, so every scalable kind (Deployment, ReplicaSet, RC, StatefulSet) shares it.
import type { KubeObject, StatusCause } from '../../api/types.js';
import type { Scale } from '../../api/autoscaling/v1/types.js';
import { badRequest, fieldErr, invalid, methodNotAllowed, unsupportedMediaType } from '../../api/errors.js';
import { validateNonnegative } from '../../api/validation/field.js';
import { asObject, decodeBody, mediaType, readBody } from '../body.js';
import { storeAdmission } from '../handlers/admission.js';
import { fieldManagerOf, isDryRun, type HandlerContext } from '../handlers/context.js';
import { patchers } from '../patch/adapter.js';
import type { SubresourceDef } from '../registry.js';
import { writeJSON } from '../respond.js';
import { defineSubresource } from './define.js';

const SCALE_KIND = { group: 'autoscaling', kind: 'Scale' };

/** How a scalable kind exposes its replica counts and selector. */
export interface ScaleAccessor<T extends KubeObject> {
  specReplicas(obj: T): number;
  statusReplicas(obj: T): number;
  /** The selector in its string form ("app=web,tier in (a,b)"). */
  selector(obj: T): string;
  setSpecReplicas(obj: T, replicas: number): void;
}

/** A ScaleAccessor for the common shape: spec.replicas, status.replicas and `selector(obj)`. */
export function specReplicasAccessor<T extends KubeObject>(selector: (obj: T) => string): ScaleAccessor<T> {
  const spec = (o: T) => (o.spec ?? {}) as { replicas?: number };
  return {
    specReplicas: (o) => spec(o).replicas ?? 0,
    statusReplicas: (o) => ((o.status ?? {}) as { replicas?: number }).replicas ?? 0,
    selector,
    setSpecReplicas: (o, n) => {
      (o as KubeObject).spec = { ...spec(o), replicas: n };
    },
  };
}

export function toScale<T extends KubeObject>(obj: T, acc: ScaleAccessor<T>): Scale {
  const m = obj.metadata;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion, creationTimestamp: m.creationTimestamp },
    spec: { replicas: acc.specReplicas(obj) },
    status: { replicas: acc.statusReplicas(obj), selector: acc.selector(obj) },
  };
}

function checkScale(raw: Record<string, unknown>, name: string): Scale {
  if (raw.apiVersion !== undefined && raw.apiVersion !== 'autoscaling/v1')
    throw badRequest(`the API version in the data (${String(raw.apiVersion)}) does not match the expected API version (autoscaling/v1)`);
  if (raw.kind !== undefined && raw.kind !== 'Scale') throw badRequest(`the kind in the data (${String(raw.kind)}) does not match the expected kind (Scale)`);
  const scale = raw as Scale;
  const meta = (scale.metadata ??= {});
  if (typeof meta !== 'object' || Array.isArray(meta)) throw badRequest('metadata must be an object');
  const causes: StatusCause[] = [];
  const replicas = scale.spec?.replicas;
  if (replicas !== undefined && replicas !== null) causes.push(...validateNonnegative(replicas, 'spec.replicas'));
  if (meta.name !== undefined && meta.name !== name) causes.push(fieldErr.invalid('metadata.name', meta.name, 'must match the name of the scaled object'));
  if (causes.length) throw invalid('autoscaling', 'Scale', name, causes);
  return scale;
}

export function scaleSubresource<T extends KubeObject>(acc: ScaleAccessor<T>): SubresourceDef<T> {
  const serve = async (ctx: HandlerContext): Promise<void> => {
    const { info } = ctx;
    const name = info.name!;
    if (info.verb === 'get') {
      writeJSON(ctx.res, 200, toScale((await ctx.store.get(info.namespace, name)) as T, acc));
      return;
    }
    if (info.verb !== 'update' && info.verb !== 'patch') throw methodNotAllowed();
    const type = mediaType(ctx.req);
    const patchTypes = ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json'];
    if (info.verb === 'patch' && !patchTypes.includes(type)) throw unsupportedMediaType(type);
    const body = decodeBody(await readBody(ctx.req), type);
    const desiredScale = (cur: T): Scale => {
      if (info.verb === 'update') return checkScale(asObject(body), name);
      const scale = toScale(cur, acc);
      const next =
        type === 'application/json-patch+json'
          ? (() => {
              if (!Array.isArray(body)) throw badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
              return patchers.json(scale, body);
            })()
          : patchers.merge(scale, asObject(body, 'patch')); // Scale has no lists: strategic = merge
      return checkScale(asObject(next, 'patched object'), name);
    };
    const updated = (await ctx.store.guaranteedUpdate(
      info.namespace,
      name,
      (cur) => {
        const scale = desiredScale(cur as T);
        const obj = cur as T;
        const rv = scale.metadata.resourceVersion;
        if (rv) obj.metadata.resourceVersion = rv; // a precondition, as for any update
        acc.setSpecReplicas(obj, scale.spec?.replicas ?? 0);
        return obj;
      },
      { subresource: 'scale', dryRun: isDryRun(ctx.query), fieldManager: fieldManagerOf(ctx), admission: storeAdmission(ctx) },
    )) as T;
    writeJSON(ctx.res, 200, toScale(updated, acc));
  };
  return defineSubresource<T>({
    kind: SCALE_KIND,
    verbs: ['get', 'patch', 'update'],
    strategy: {
      // only spec.replicas is the client's; a changed count is a spec change (generation bumps)
      prepareForUpdate(obj, old) {
        const replicas = acc.specReplicas(obj);
        const rv = obj.metadata.resourceVersion;
        const copy = structuredClone(old);
        for (const k of Object.keys(obj)) delete obj[k];
        Object.assign(obj, copy);
        obj.metadata.resourceVersion = rv;
        acc.setSpecReplicas(obj, replicas);
        if (replicas !== acc.specReplicas(old) && old.metadata.generation !== undefined) obj.metadata.generation = old.metadata.generation + 1;
      },
    },
    serve,
  });
}
