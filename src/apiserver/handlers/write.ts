// POST (create), PUT (update, also of subresources such as status and finalize), DELETE and
// DELETECOLLECTION, each with admission. Subresources declare their own handlers (src/apiserver/subresources/).
import type { KubeObject } from '../../api/types.js';
import { badRequest, fieldErr, invalid, methodNotAllowed } from '../../api/errors.js';
import { apiVersionOf } from '../registry.js';
import { asObject, decodeBody, mediaType, readBody } from '../body.js';
import { PROTOBUF_MEDIA_TYPE } from '../protobuf/envelope.js';
import { addWarnings, writeJSON } from '../respond.js';
import type { DeleteOptions } from '../rest/store.js';
import { storeAdmission } from './admission.js';
import { fieldManagerOf, fieldValidationOf, isDryRun, type HandlerContext } from './context.js';
import { checkResourceVersionParam, parseLimit, renderObjects } from './read.js';

/** Read, decode and field-check a body meant to be an object of ctx.def's kind. */
export async function readObject(ctx: HandlerContext): Promise<{ obj: KubeObject; warnings: string[] }> {
  const type = mediaType(ctx.req);
  if (type !== 'application/json' && type !== 'application/yaml' && type !== PROTOBUF_MEDIA_TYPE) {
    // reject unknown types before reading the body
    decodeBody(Buffer.from('{}'), type);
  }
  const mode = fieldValidationOf(ctx.query);
  const duplicates: string[] = [];
  const raw = asObject(decodeBody(await readBody(ctx.req), type, mode === 'Ignore' ? undefined : duplicates));
  return { obj: checkKind(ctx, raw), warnings: ctx.svc.checkFields(ctx.def, raw, mode, duplicates) };
}

export function checkKind(ctx: HandlerContext, raw: Record<string, unknown>): KubeObject {
  const want = apiVersionOf(ctx.def);
  if (raw.apiVersion !== undefined && raw.apiVersion !== want) {
    throw badRequest(`the API version in the data (${String(raw.apiVersion)}) does not match the expected API version (${want})`);
  }
  if (raw.kind !== undefined && raw.kind !== ctx.def.kind) {
    throw badRequest(`the kind in the data (${String(raw.kind)}) does not match the expected kind (${ctx.def.kind})`);
  }
  if (raw.metadata === undefined || raw.metadata === null) raw.metadata = {};
  if (typeof raw.metadata !== 'object' || Array.isArray(raw.metadata)) throw badRequest('metadata must be an object');
  return raw as KubeObject;
}

export async function handleCreate(ctx: HandlerContext): Promise<void> {
  const { info } = ctx;
  if (info.name) throw methodNotAllowed();
  const { obj, warnings } = await readObject(ctx);
  const created = await ctx.store.create(info.namespace, obj, {
    dryRun: isDryRun(ctx.query),
    fieldManager: fieldManagerOf(ctx),
    admission: storeAdmission(ctx),
  });
  addWarnings(ctx.res, warnings);
  writeJSON(ctx.res, 201, created);
}

/** PUT of the object or of one of its subresources (ctx.info.subresource; the store applies its strategy). */
export async function handleUpdate(ctx: HandlerContext, o: { recordManagedFields?: boolean } = {}): Promise<void> {
  const { info } = ctx;
  if (!info.name) throw methodNotAllowed();
  const { obj, warnings } = await readObject(ctx);
  const fieldManager = o.recordManagedFields === false ? undefined : fieldManagerOf(ctx);
  const result = await ctx.store.update(info.namespace, info.name, obj, {
    subresource: info.subresource,
    dryRun: isDryRun(ctx.query),
    fieldManager,
    admission: storeAdmission(ctx),
  });
  addWarnings(ctx.res, warnings);
  writeJSON(ctx.res, result.created ? 201 : 200, result.object);
}

export function deleteOptionsFrom(ctx: HandlerContext, body: Record<string, unknown> | undefined): DeleteOptions {
  const q = ctx.query;
  const opts: DeleteOptions = { dryRun: isDryRun(q) };
  const g = body?.gracePeriodSeconds ?? q.get('gracePeriodSeconds');
  if (g !== undefined && g !== null && g !== '') {
    const n = Number(g);
    if (!Number.isInteger(n)) throw badRequest(`invalid gracePeriodSeconds: ${JSON.stringify(g)}`);
    opts.gracePeriodSeconds = n < 0 ? 0 : n;
  }
  const p = (body?.propagationPolicy as string | undefined) ?? q.get('propagationPolicy') ?? undefined;
  if (p !== undefined && !['Orphan', 'Background', 'Foreground'].includes(p)) {
    throw badRequest(`invalid propagationPolicy: ${JSON.stringify(p)}: supported values: "Orphan", "Background", "Foreground"`);
  }
  opts.propagationPolicy = p;
  const o = body?.orphanDependents ?? q.get('orphanDependents') ?? undefined;
  if (o !== undefined && o !== null) {
    if (o !== true && o !== false && o !== 'true' && o !== 'false') throw badRequest(`invalid orphanDependents: ${JSON.stringify(o)}`);
    opts.orphanDependents = o === true || o === 'true';
    if (p !== undefined) {
      // upstream ValidateDeleteOptions
      throw invalid('meta.k8s.io', 'DeleteOptions', '', [
        fieldErr.invalid('propagationPolicy', p, 'orphanDependents and deletionPropagation cannot be both set'),
      ]);
    }
  }
  if (body?.dryRun && Array.isArray(body.dryRun) && body.dryRun.includes('All')) opts.dryRun = true;
  const pre = body?.preconditions as { uid?: string; resourceVersion?: string } | undefined;
  if (pre && typeof pre === 'object') opts.preconditions = pre;
  return opts;
}

async function readDeleteBody(ctx: HandlerContext): Promise<Record<string, unknown> | undefined> {
  const buf = await readBody(ctx.req);
  if (buf.length === 0 || buf.toString('utf8').trim() === '') return undefined;
  return asObject(decodeBody(buf, mediaType(ctx.req)), 'DeleteOptions');
}

export async function handleDelete(ctx: HandlerContext): Promise<void> {
  const { info } = ctx;
  const opts = deleteOptionsFrom(ctx, await readDeleteBody(ctx));
  opts.admission = storeAdmission(ctx, opts.dryRun);
  const { object, deleted } = await ctx.store.delete(info.namespace, info.name!, opts);
  writeJSON(ctx.res, deleted ? 200 : 202, object);
}

export async function handleDeleteCollection(ctx: HandlerContext): Promise<void> {
  const q = ctx.query;
  checkResourceVersionParam(q);
  const opts = deleteOptionsFrom(ctx, await readDeleteBody(ctx));
  opts.admission = storeAdmission(ctx, opts.dryRun);
  const predicate = ctx.svc.predicate(ctx.def, q.get('labelSelector'), q.get('fieldSelector'));
  const { items, resourceVersion } = await ctx.store.list(ctx.info.namespace, { predicate, limit: parseLimit(q) });
  const out: KubeObject[] = [];
  for (const o of items) {
    try {
      out.push((await ctx.store.delete(o.metadata.namespace, o.metadata.name!, opts)).object);
    } catch (e) {
      if ((e as { code?: number }).code !== 404) throw e;
    }
  }
  renderObjects(ctx, out, true, { resourceVersion: String(resourceVersion) });
}
