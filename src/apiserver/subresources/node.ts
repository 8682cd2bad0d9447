// Pod subresources served by the pod's node: pods/log (a GET with options, streamed) and the connect
// subresources exec, attach and portforward (upstream's rest.Connecter): CONNECT admission with the options
// the query carries, then the request — or its WebSocket/SPDY upgrade — goes to the node (src/apiserver/proxy/).
import { methodNotAllowed, serviceUnavailable } from '../../api/errors.js';
import type { KubeObject } from '../../api/types.js';
import { admissionAttributes, type AdmissionContext } from '../handlers/admission.js';
import type { SubresourceDef } from '../registry.js';
import { defineSubresource } from './define.js';

export const podLog: SubresourceDef = defineSubresource({
  verbs: ['get'],
  async serve(ctx) {
    if (!ctx.svc.nodeProxy) throw serviceUnavailable(`no node agent serves ${ctx.def.resource}/log yet`);
    await ctx.svc.nodeProxy(ctx.def, ctx.info, ctx.req, ctx.res);
  },
});

/** Query parameters that are lists or booleans in the connect options kinds. */
const LIST_PARAMS = new Set(['command', 'ports']);
const BOOL_PARAMS = new Set(['stdin', 'stdout', 'stderr', 'tty']);

/** The connect options object (e.g. PodExecOptions) the query describes, as admission sees it. */
export function connectOptions(kind: string, version: string, query: URLSearchParams): KubeObject {
  const opts: KubeObject = { kind, apiVersion: version, metadata: {} };
  for (const key of new Set(query.keys())) {
    const all = query.getAll(key);
    if (LIST_PARAMS.has(key)) opts[key] = all;
    else if (BOOL_PARAMS.has(key)) opts[key] = all[0] === 'true' || all[0] === '1';
    else opts[key] = all[0];
  }
  return opts;
}

async function admitConnect(ctx: AdmissionContext, kind: string): Promise<void> {
  const attrs = admissionAttributes(ctx, 'CONNECT', connectOptions(kind, ctx.def.version, ctx.query), undefined, {
    kind: { group: ctx.def.group, kind },
    dryRun: false,
  });
  await ctx.svc.admission.admit(attrs);
  await ctx.svc.admission.validate(attrs);
}

/** exec, attach or portforward: `kind` is its options kind (PodExecOptions...). */
export function podConnect(kind: string): SubresourceDef {
  return defineSubresource({
    kind: { group: '', kind },
    verbs: ['create', 'get'],
    async serve(ctx) {
      if (ctx.req.method !== 'GET' && ctx.req.method !== 'POST') throw methodNotAllowed();
      await admitConnect(ctx, kind);
      if (!ctx.svc.nodeProxy) throw serviceUnavailable(`no node agent serves ${ctx.def.resource}/${ctx.info.subresource} yet`);
      await ctx.svc.nodeProxy(ctx.def, ctx.info, ctx.req, ctx.res);
    },
    async upgrade(ctx) {
      if (ctx.req.method !== 'GET' && ctx.req.method !== 'POST') throw methodNotAllowed();
      await admitConnect(ctx, kind);
      if (!ctx.svc.nodeUpgrade) throw serviceUnavailable(`no node agent serves ${ctx.def.resource}/${ctx.info.subresource} yet`);
      await ctx.svc.nodeUpgrade(ctx.def, ctx.info, ctx.req, ctx.socket, ctx.head);
    },
  });
}
