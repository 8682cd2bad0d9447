// Writes a Service's managed EndpointSlices to what a controller wants (the EndpointSlice and the mirroring
// controllers): each wanted slice reuses an existing one of the same port set first (so endpoints stay where they
// are), else one of the same address type (addressType is immutable); unchanged slices are not written; slices
// left over are deleted.
import type { EndpointSlice, EndpointSlicePort, Endpoint } from '../../api/discovery/v1/types.js';
import type { OwnerReference } from '../../api/types.js';
import type { ResourceClient } from '../../client/typed.js';

export interface WantedSlice {
  addressType: 'IPv4' | 'IPv6';
  ports: EndpointSlicePort[];
  endpoints: Endpoint[];
}

/** A slice's address type and port set, the same however the server spells an empty field or orders the ports. */
export function slicePortsKey(addressType: string, ports: EndpointSlicePort[]): string {
  return JSON.stringify([
    addressType,
    ports
      .map((p) => [p.name ?? '', p.port ?? 0, p.protocol ?? 'TCP', p.appProtocol ?? ''] as const)
      .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1])),
  ]);
}

/** Deletes a slice; one already gone is fine. */
export function deleteSlice(api: ResourceClient<EndpointSlice>, s: EndpointSlice): Promise<unknown> {
  return api.delete(s.metadata.name!).catch((e: { code?: number }) => {
    if (e.code !== 404) throw e;
  });
}

/**
 * Makes `existing` (this controller's slices of the Service, in name order) into `wanted`. `annotations`, when
 * given, are the slices' annotations and part of "unchanged"; otherwise a slice's annotations are left as they are.
 */
export async function writeSlices(
  api: ResourceClient<EndpointSlice>,
  existing: EndpointSlice[],
  wanted: WantedSlice[],
  meta: { service: string; namespace: string; labels: Record<string, string>; annotations?: Record<string, string>; owner: OwnerReference },
): Promise<void> {
  const unused = [...existing];
  for (const w of wanted) {
    const k = slicePortsKey(w.addressType, w.ports);
    let i = unused.findIndex((s) => slicePortsKey(s.addressType, s.ports ?? []) === k);
    if (i < 0) i = unused.findIndex((s) => s.addressType === w.addressType);
    const cur = i >= 0 ? unused.splice(i, 1)[0] : undefined;
    const body = { addressType: w.addressType, endpoints: w.endpoints, ports: w.ports };
    const annotations = meta.annotations ? { annotations: meta.annotations } : {};
    if (!cur) {
      await api.create({
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        metadata: { generateName: `${meta.service}-`, namespace: meta.namespace, labels: meta.labels, ...annotations, ownerReferences: [meta.owner] },
        ...body,
      });
      continue;
    }
    const same =
      slicePortsKey(cur.addressType, cur.ports ?? []) === k &&
      JSON.stringify(cur.endpoints ?? []) === JSON.stringify(body.endpoints) &&
      JSON.stringify(cur.metadata.labels ?? {}) === JSON.stringify(meta.labels) &&
      (!meta.annotations || JSON.stringify(cur.metadata.annotations ?? {}) === JSON.stringify(meta.annotations));
    if (same) continue;
    await api.update({ ...cur, ...body, metadata: { ...cur.metadata, labels: meta.labels, ...annotations, ownerReferences: [meta.owner] } });
  }
  for (const s of unused) await deleteSlice(api, s);
}
