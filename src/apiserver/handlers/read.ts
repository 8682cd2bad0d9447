// GET of one object and LIST of a collection (selectors, limit/continue), rendered as JSON, Table or
// PartialObjectMetadata as the client asked.
import type { KubeObject } from '../../api/types.js';
import { badRequest } from '../../api/errors.js';
import { apiVersionOf } from '../registry.js';
import { rendering } from '../negotiate.js';
import { writeJSON, writeRawList } from '../respond.js';
import type { HandlerContext } from './context.js';

function partialMeta(o: KubeObject, version: string) {
  return { kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${version}`, metadata: o.metadata };
}

export function renderObjects(
  ctx: HandlerContext,
  objs: KubeObject[],
  list: boolean,
  listMeta: { resourceVersion?: string; continue?: string; remainingItemCount?: number },
): void {
  const r = rendering(ctx.req);
  const { def, res } = ctx;
  if (r.as === 'Table') {
    const includeObject = ctx.query.get('includeObject') ?? 'Metadata';
    const table = ctx.svc.table(def, objs, includeObject, listMeta) as Record<string, unknown>;
    table.apiVersion = `meta.k8s.io/${r.version}`;
    writeJSON(res, 200, table, `application/json;as=Table;v=${r.version};g=meta.k8s.io`);
    return;
  }
  if (r.as === 'PartialObjectMetadata') {
    if (!list) {
      writeJSON(res, 200, partialMeta(objs[0], r.version), `application/json;as=PartialObjectMetadata;v=${r.version};g=meta.k8s.io`);
    } else {
      writeJSON(
        res,
        200,
        { kind: 'PartialObjectMetadataList', apiVersion: `meta.k8s.io/${r.version}`, metadata: listMeta, items: objs.map((o) => partialMeta(o, r.version)) },
        `application/json;as=PartialObjectMetadataList;v=${r.version};g=meta.k8s.io`,
      );
    }
    return;
  }
  if (!list) {
    writeJSON(res, 200, objs[0]);
    return;
  }
  writeJSON(res, 200, { kind: def.listKind, apiVersion: apiVersionOf(def), metadata: listMeta, items: objs });
}

export async function handleGet(ctx: HandlerContext): Promise<void> {
  const obj = await ctx.store.get(ctx.info.namespace, ctx.info.name!);
  renderObjects(ctx, [obj], false, {});
}

export function parseLimit(q: URLSearchParams): number | undefined {
  const raw = q.get('limit');
  if (raw === null || raw === '') return undefined;
  if (!/^\d+$/.test(raw)) throw badRequest(`invalid limit: ${JSON.stringify(raw)}`);
  const n = Number(raw);
  return n > 0 ? n : undefined;
}

export function checkResourceVersionParam(q: URLSearchParams): void {
  const rv = q.get('resourceVersion');
  if (rv !== null && rv !== '' && !/^\d+$/.test(rv)) {
    throw badRequest(`invalid resource version: ${JSON.stringify(rv)}`);
  }
}

export async function handleList(ctx: HandlerContext): Promise<void> {
  const q = ctx.query;
  checkResourceVersionParam(q);
  const predicate = ctx.svc.predicate(ctx.def, q.get('labelSelector'), q.get('fieldSelector'));
  if (rendering(ctx.req).as === 'json') {
    // hot path: splice each item's stored JSON bytes into the list body, no parse/stringify per item
    const raw = await ctx.store.listRaw(ctx.info.namespace, { predicate, limit: parseLimit(q), continue: q.get('continue') || undefined });
    if (raw) {
      const meta: Record<string, unknown> = { resourceVersion: String(raw.resourceVersion) };
      if (raw.continue) {
        meta.continue = raw.continue;
        if (raw.remainingItemCount !== undefined) meta.remainingItemCount = raw.remainingItemCount;
      }
      const head = `{"kind":${JSON.stringify(ctx.def.listKind)},"apiVersion":${JSON.stringify(apiVersionOf(ctx.def))},"metadata":${JSON.stringify(meta)},"items":[`;
      await writeRawList(ctx.res, head, raw.items);
      return;
    }
  }
  const result = await ctx.store.list(ctx.info.namespace, { predicate, limit: parseLimit(q), continue: q.get('continue') || undefined });
  const listMeta: { resourceVersion: string; continue?: string; remainingItemCount?: number } = { resourceVersion: String(result.resourceVersion) };
  if (result.continue) listMeta.continue = result.continue;
  if (result.remainingItemCount !== undefined && result.continue) listMeta.remainingItemCount = result.remainingItemCount;
  renderObjects(ctx, result.items, true, listMeta);
}
