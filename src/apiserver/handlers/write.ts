// POST (create, and the pods/binding subresource), PUT (update, status, namespace finalize),
// DELETE and DELETECOLLECTION.
import type { KubeObject } from '../../api/types.js';
import { badRequest, conflict, methodNotAllowed, notFound } from '../../api/errors.js';
import { apiVersionOf } from '../registry.js';
import { asObject, decodeBody, mediaType, readBody } from '../body.js';
import { PROTOBUF_MEDIA_TYPE } from '../protobuf/envelope.js';
import { addWarnings, successStatus, writeJSON } from '../respond.js';
import type { DeleteOptions } from '../rest/store.js';
import { nowRFC3339 } from '../rest/meta.js';
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
  if (info.name) {
    if (ctx.def.resource === 'pods' && info.subresource === 'binding') return handleBinding(ctx);
    throw methodNotAllowed();
  }
  const { obj, warnings } = await readObject(ctx);
  await ctx.svc.admitCreate(ctx.def, info.namespace, obj);
  const created = await ctx.store.create(info.namespace, obj, { dryRun: isDryRun(ctx.query), fieldManager: fieldManagerOf(ctx) });
  addWarnings(ctx.res, warnings);
  writeJSON(ctx.res, 201, created);
}

/** POST pods/<name>/binding: the scheduler assigns a node (only once). */
async function handleBinding(ctx: HandlerContext): Promise<void> {
  const body = asObject(decodeBody(await readBody(ctx.req), mediaType(ctx.req)));
  const target = body.target as { name?: string; kind?: string } | undefined;
  if (!target?.name) throw badRequest('Binding target.name is required');
  const name = ctx.info.name!;
  await ctx.store.guaranteedUpdate(ctx.info.namespace, name, (pod) => {
    const spec = (pod.spec ??= {}) as { nodeName?: string };
    if (pod.metadata.deletionTimestamp) throw conflict({ group: '', resource: 'pods/binding' }, name, `pod ${name} is being deleted, cannot be assigned to a host`);
    if (spec.nodeName) throw conflict({ group: '', resource: 'pods/binding' }, name, `pod ${name} is already assigned to node "${spec.nodeName}"`);
    spec.nodeName = target.name;
    // as upstream's binding REST does: the pod is now scheduled
    const status = (pod.status ??= {}) as { conditions?: { type: string; status: string; lastTransitionTime?: string | null; lastProbeTime?: string | null }[] };
    const conds = (status.conditions ?? []).filter((c) => c.type !== 'PodScheduled');
    conds.push({ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: nowRFC3339() });
    status.conditions = conds;
    return pod;
  }, { subresource: 'binding' });
  writeJSON(ctx.res, 201, successStatus());
}

export async function handleUpdate(ctx: HandlerContext): Promise<void> {
  const { info } = ctx;
  if (!info.name) throw methodNotAllowed();
  const sub = info.subresource;
  if (sub && !(ctx.def.subresources ?? []).includes(sub)) throw notFound({ group: ctx.def.group, resource: `${ctx.def.resource}/${sub}` }, info.name);
  const { obj, warnings } = await readObject(ctx);
  const dryRun = isDryRun(ctx.query);
  const fieldManager = fieldManagerOf(ctx);
  let result: { object: KubeObject; created: boolean };
  if (sub === 'finalize') {
    result = await ctx.store.update(undefined, info.name, obj, { subresource: 'finalize', dryRun });
  } else if (sub && sub !== 'status' && sub !== 'ephemeralcontainers') {
    throw methodNotAllowed();
  } else {
    result = await ctx.store.update(info.namespace, info.name, obj, { subresource: sub, dryRun, fieldManager });
  }
  addWarnings(ctx.res, warnings);
  writeJSON(ctx.res, result.created ? 201 : 200, result.object);
}

function deleteOptionsFrom(ctx: HandlerContext, body: Record<string, unknown> | undefined): DeleteOptions {
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
  if (info.subresource) throw methodNotAllowed();
  const opts = deleteOptionsFrom(ctx, await readDeleteBody(ctx));
  const { object, deleted } = await ctx.store.delete(info.namespace, info.name!, opts);
  writeJSON(ctx.res, deleted ? 200 : 202, object);
}

export async function handleDeleteCollection(ctx: HandlerContext): Promise<void> {
  const q = ctx.query;
  checkResourceVersionParam(q);
  const opts = deleteOptionsFrom(ctx, await readDeleteBody(ctx));
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
