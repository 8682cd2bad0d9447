// Admission on create: NamespaceLifecycle — new namespaced content needs an existing namespace that is
// not being terminated.
import type { KubeObject } from '../../api/types.js';
import { forbidden, notFound } from '../../api/errors.js';
import type { ResourceDef } from '../registry.js';
import type { RESTStore } from '../rest/store.js';

export function namespaceLifecycle(namespaces: () => RESTStore) {
  return async (def: ResourceDef, namespace: string | undefined, obj: KubeObject): Promise<void> => {
    if (!def.namespaced) return;
    const nsName = namespace ?? obj.metadata.namespace;
    if (!nsName) return;
    let ns: KubeObject;
    try {
      ns = await namespaces().get(undefined, nsName);
    } catch {
      throw notFound({ group: '', resource: 'namespaces' }, nsName);
    }
    const phase = (ns.status as { phase?: string } | undefined)?.phase;
    if (ns.metadata.deletionTimestamp || phase === 'Terminating') {
      throw forbidden(
        { group: def.group, resource: def.resource },
        obj.metadata.name ?? obj.metadata.generateName ?? '',
        `unable to create new content in namespace ${nsName} because it is being terminated`,
      );
    }
  };
}
