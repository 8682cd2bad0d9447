// Reaching a scale target's "scale" subresource from its scaleTargetRef (upstream's scale client + REST
// mapper): the kind is mapped to its resource through discovery of the ref's group/version (cached).
import type { CrossVersionObjectReference } from '../../api/autoscaling/types.js';
import type { Scale } from '../../api/autoscaling/v1/types.js';
import type { KubeClient } from '../../client/rest.js';

interface APIResourceList {
  resources: { name: string; kind: string; namespaced: boolean }[];
}

export class ScaleClient {
  private resources = new Map<string, Promise<APIResourceList>>();

  constructor(private readonly client: KubeClient) {}

  private groupVersionPath(apiVersion: string | undefined): string {
    const gv = apiVersion || 'v1';
    return gv.includes('/') ? `/apis/${gv}` : `/api/${gv}`;
  }

  /** The path of the target's scale subresource; throws when the kind is not served. */
  async scalePath(ref: CrossVersionObjectReference, namespace: string): Promise<string> {
    const base = this.groupVersionPath(ref.apiVersion);
    let list = this.resources.get(base);
    if (!list) {
      list = this.client.get<APIResourceList>(base);
      this.resources.set(base, list);
      list.catch(() => this.resources.delete(base));
    }
    const r = (await list).resources.find((x) => x.kind === ref.kind && !x.name.includes('/'));
    if (!r) throw new Error(`no matches for kind "${ref.kind}" in group "${ref.apiVersion ?? ''}"`);
    const scalable = (await list).resources.some((x) => x.name === `${r.name}/scale`);
    if (!scalable) throw new Error(`${ref.kind} ${ref.name} has no scale subresource`);
    return `${base}/namespaces/${encodeURIComponent(namespace)}/${r.name}/${encodeURIComponent(ref.name)}/scale`;
  }

  async get(ref: CrossVersionObjectReference, namespace: string): Promise<Scale> {
    return this.client.get<Scale>(await this.scalePath(ref, namespace));
  }

  async update(ref: CrossVersionObjectReference, namespace: string, scale: Scale): Promise<Scale> {
    return this.client.update<Scale>(await this.scalePath(ref, namespace), scale);
  }
}
