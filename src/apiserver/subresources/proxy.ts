// The proxy subresources pods/proxy, services/proxy and nodes/proxy (upstream's ProxyREST connecters):
// CONNECT admission with the *ProxyOptions the request describes, then the request — or its WebSocket
// upgrade — relayed to the pod, a Service endpoint or the node (src/apiserver/proxy/resource_proxy.ts).
import type { IncomingMessage } from 'node:http';
import { serviceUnavailable } from '../../api/errors.js';
import { admissionAttributes, type AdmissionContext } from '../handlers/admission.js';
import type { SubresourceDef } from '../registry.js';
import { splitProxyPath } from '../proxy/resource_proxy.js';
import { defineSubresource } from './define.js';

async function admitProxy(ctx: AdmissionContext & { req: IncomingMessage }, kind: string): Promise<void> {
  const path = splitProxyPath(new URL(ctx.req.url ?? '/', 'http://localhost').pathname, ctx.def.resource)?.path ?? '';
  const opts = { kind, apiVersion: ctx.def.version, metadata: {}, path };
  const attrs = admissionAttributes(ctx, 'CONNECT', opts, undefined, { kind: { group: '', kind }, dryRun: false });
  await ctx.svc.admission.admit(attrs);
  await ctx.svc.admission.validate(attrs);
}

/** `kind`: PodProxyOptions, ServiceProxyOptions or NodeProxyOptions. */
export function proxySubresource(kind: string): SubresourceDef {
  return defineSubresource({
    kind: { group: '', kind },
    verbs: ['create', 'delete', 'get', 'patch', 'update'],
    async serve(ctx) {
      await admitProxy(ctx, kind);
      if (!ctx.svc.resourceProxy) throw serviceUnavailable(`${ctx.def.resource}/proxy is not served`);
      await ctx.svc.resourceProxy.serve(ctx.info, ctx.req, ctx.res);
    },
    async upgrade(ctx) {
      await admitProxy(ctx, kind);
      if (!ctx.svc.resourceProxy) throw serviceUnavailable(`${ctx.def.resource}/proxy is not served`);
      await ctx.svc.resourceProxy.upgrade(ctx.info, ctx.req, ctx.socket, ctx.head);
    },
  });
}
