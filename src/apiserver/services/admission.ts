// The NamespaceLifecycle admission plugin (upstream's, a mutating plugin on create, update and delete):
// the immortal namespaces cannot be deleted; namespaced content needs an existing namespace, and new
// content may not be created in one that is being terminated.
import type { KubeObject } from '../../api/types.js';
import { forbidden, notFound } from '../../api/errors.js';
import type { AdmissionPlugin } from '../admission/interfaces.js';
import type { RESTStore } from '../rest/store.js';

export const IMMORTAL_NAMESPACES = new Set(['default', 'kube-system', 'kube-public']);

export function namespaceLifecycle(namespaces: () => RESTStore): AdmissionPlugin {
  return {
    name: 'NamespaceLifecycle',
    handles: (op) => op === 'CREATE' || op === 'UPDATE' || op === 'DELETE',
    async admit(a) {
      const isNamespace = a.kind.group === '' && a.kind.kind === 'Namespace';
      if (a.operation === 'DELETE' && isNamespace && IMMORTAL_NAMESPACES.has(a.name)) {
        throw forbidden({ group: a.resource.group, resource: a.resource.resource }, a.name, 'this namespace may not be deleted');
      }
      // cluster-scoped kinds, namespaces themselves and every delete are always allowed
      if (!a.namespace || isNamespace || a.operation === 'DELETE') return;
      // An update's object already lives in its namespace, and the namespace controller removes the content
      // before the namespace: upstream's check is a cache read, ours would be a storage read on every write.
      if (a.operation === 'UPDATE') return;
      let ns: KubeObject;
      try {
        ns = await namespaces().get(undefined, a.namespace);
      } catch {
        throw notFound({ group: '', resource: 'namespaces' }, a.namespace);
      }
      const phase = (ns.status as { phase?: string } | undefined)?.phase;
      if (ns.metadata.deletionTimestamp || phase === 'Terminating') {
        const name = a.object?.metadata.name || a.object?.metadata.generateName || 'Unknown';
        const err = forbidden(
          { group: a.resource.group, resource: a.resource.resource },
          name,
          `unable to create new content in namespace ${a.namespace} because it is being terminated`,
        );
        (err.status.details!.causes ??= []).push({
          reason: 'NamespaceTerminating',
          message: `namespace ${a.namespace} is being terminated`,
          field: 'metadata.namespace',
        });
        throw err;
      }
    },
  };
}
