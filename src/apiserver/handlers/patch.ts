// PATCH: JSON patch, JSON merge patch, strategic merge patch and server-side apply, each turned into a
// read-modify-write of the stored object that then follows the same rules as PUT.
import type { KubeObject } from '../../api/types.js';
import { badRequest, methodNotAllowed, unsupportedMediaType } from '../../api/errors.js';
import { apiVersionOf } from '../registry.js';
import { asObject, decodeBody, mediaType, readBody } from '../body.js';
import { addWarnings, writeJSON } from '../respond.js';
import { fieldManagerOf, fieldValidationOf, isDryRun, type HandlerContext } from './context.js';
import { checkKind } from './write.js';
import { storeAdmission } from './admission.js';
import { patchers } from '../patch/adapter.js';

const PATCH_TYPES = ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/apply-patch+yaml'];

export async function handlePatch(ctx: HandlerContext): Promise<void> {
  const { info, query } = ctx;
  if (!info.name) throw methodNotAllowed();
  // the object, or one of its subresources (the store applies the subresource's strategy)
  const sub = info.subresource;
  const type = mediaType(ctx.req);
  if (!PATCH_TYPES.includes(type)) throw unsupportedMediaType(type);
  const patchDoc = decodeBody(await readBody(ctx.req), type);
  const dryRun = isDryRun(query);
  const mode = fieldValidationOf(query);
  let warnings: string[] = [];
  const force = query.get('force') === 'true';
  const manager = query.get('fieldManager') ?? '';

  const applyTo = (cur: KubeObject): KubeObject => {
    let next: unknown;
    switch (type) {
      case 'application/json-patch+json':
        if (!Array.isArray(patchDoc)) throw badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
        next = patchers.json(cur, patchDoc);
        break;
      case 'application/merge-patch+json':
        next = patchers.merge(cur, asObject(patchDoc, 'patch'));
        break;
      case 'application/strategic-merge-patch+json':
        next = patchers.strategic(ctx.def, cur, asObject(patchDoc, 'patch'));
        break;
      default:
        next = patchers.apply(ctx.def, cur, checkKind(ctx, asObject(patchDoc, 'patch')), {
          manager,
          force,
          apiVersion: apiVersionOf(ctx.def),
          subresource: sub,
        });
    }
    const obj = checkKind(ctx, asObject(next, 'patched object'));
    warnings = ctx.svc.checkFields(ctx.def, obj, mode);
    return obj;
  };

  if (type === 'application/apply-patch+yaml') {
    // server-side apply creates the object when it does not exist yet
    try {
      await ctx.store.get(info.namespace, info.name);
    } catch (e) {
      if ((e as { code?: number }).code !== 404 || sub) throw e;
      const empty: KubeObject = { apiVersion: apiVersionOf(ctx.def), kind: ctx.def.kind, metadata: { name: info.name, namespace: info.namespace } };
      const obj = applyTo(empty);
      obj.metadata.name = info.name;
      const created = await ctx.store.create(info.namespace, obj, { dryRun, admission: storeAdmission(ctx) });
      addWarnings(ctx.res, warnings);
      writeJSON(ctx.res, 201, created);
      return;
    }
  }
  const isApply = type === 'application/apply-patch+yaml';
  const updated = await ctx.store.guaranteedUpdate(info.namespace, info.name, applyTo, {
    subresource: sub,
    dryRun,
    fieldManager: isApply ? undefined : fieldManagerOf(ctx),
    admission: storeAdmission(ctx),
  });
  addWarnings(ctx.res, warnings);
  writeJSON(ctx.res, 200, updated);
}
