// What the garbage collector watches and how it reaches an owner by its reference (upstream's
// GetDeletableResources + RESTMapper): every resource of every served group version that can be listed,
// watched and deleted, mapped by apiVersion + kind; events are left out, as upstream ignores them.
import type { KubeClient } from '../../client/rest.js';
import type { ResourceRef } from '../../client/typed.js';

interface APIResource {
  name: string;
  kind: string;
  namespaced: boolean;
  verbs: string[];
}

export interface DiscoveredResources {
  /** One ref per resource, at its group's preferred version: what to watch. */
  watched: ResourceRef[];
  /** apiVersion + "/" + kind → resource, for every served version. */
  byKind: Map<string, ResourceRef>;
}

const IGNORED = new Set(['/events', 'events.k8s.io/events']);

export function kindKey(apiVersion: string, kind: string): string {
  return `${apiVersion}/${kind}`;
}

export async function discoverDeletableResources(client: KubeClient): Promise<DiscoveredResources> {
  const out: DiscoveredResources = { watched: [], byKind: new Map() };
  const add = (group: string, version: string, list: { resources: APIResource[] }, preferred: boolean) => {
    for (const r of list.resources) {
      if (r.name.includes('/')) continue;
      const ref: ResourceRef = { group, version, resource: r.name, namespaced: r.namespaced };
      out.byKind.set(kindKey(group ? `${group}/${version}` : version, r.kind), ref);
      if (!preferred || IGNORED.has(`${group}/${r.name}`)) continue;
      if (['list', 'watch', 'delete'].every((v) => r.verbs.includes(v))) out.watched.push(ref);
    }
  };
  add('', 'v1', await client.get('/api/v1'), true);
  const groups = await client.get<{ groups: { name: string; versions: { groupVersion: string; version: string }[]; preferredVersion: { version: string } }[] }>(
    '/apis',
  );
  for (const g of groups.groups) {
    for (const v of g.versions) add(g.name, v.version, await client.get(`/apis/${v.groupVersion}`), v.version === g.preferredVersion.version);
  }
  return out;
}
