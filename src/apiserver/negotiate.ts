// Content negotiation on the Accept header: plain JSON, server-side printing (as=Table), metadata-only
// (as=PartialObjectMetadata[List]) and aggregated discovery (as=APIGroupDiscoveryList).
import type { IncomingMessage } from 'node:http';

export interface MediaRange {
  type: string;
  params: Record<string, string>;
}

export function parseAccept(header: string | undefined): MediaRange[] {
  if (!header) return [];
  return header.split(',').map((part) => {
    const [type, ...ps] = part.split(';').map((s) => s.trim());
    const params: Record<string, string> = {};
    for (const p of ps) {
      const i = p.indexOf('=');
      if (i > 0) params[p.slice(0, i).trim()] = p.slice(i + 1).trim();
    }
    return { type: type.toLowerCase(), params };
  });
}

export type Rendering = { as: 'json' } | { as: 'Table'; version: string } | { as: 'PartialObjectMetadata'; version: string };

/** The first acceptable rendering in the client's order of preference. */
export function rendering(req: IncomingMessage): Rendering {
  for (const m of parseAccept(req.headers.accept)) {
    if (m.type !== 'application/json' && m.type !== '*/*' && m.type !== 'application/*') continue;
    const as = m.params.as;
    if (!as) return { as: 'json' };
    if (m.params.g !== 'meta.k8s.io') continue;
    if (as === 'Table' && (m.params.v === 'v1' || m.params.v === 'v1beta1')) return { as: 'Table', version: m.params.v };
    if ((as === 'PartialObjectMetadata' || as === 'PartialObjectMetadataList') && (m.params.v === 'v1' || m.params.v === 'v1beta1')) {
      return { as: 'PartialObjectMetadata', version: m.params.v };
    }
  }
  return { as: 'json' };
}

/** Aggregated discovery version the client accepts, if any (v2 preferred in the client's own order). */
export function aggregatedDiscovery(req: IncomingMessage): 'v2' | 'v2beta1' | undefined {
  for (const m of parseAccept(req.headers.accept)) {
    if (m.type !== 'application/json') continue;
    if (!m.params.as) return undefined;
    if (m.params.as === 'APIGroupDiscoveryList' && m.params.g === 'apidiscovery.k8s.io') {
      if (m.params.v === 'v2' || m.params.v === 'v2beta1') return m.params.v;
    }
  }
  return undefined;
}
