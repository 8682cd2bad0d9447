// scheduling.k8s.io/v1 PriorityClass: cluster-scoped, short name pc; the system classes are created at start
// (bootstrapPriorityClasses, upstream's bootstrap-system-priority-classes post-start hook) and cannot be
// deleted (the Priority admission plugin refuses).
import type { PriorityClass } from '../../api/scheduling/v1/types.js';
import { systemPriorityClasses } from '../../api/scheduling/v1/types.js';
import { setDefaultsPriorityClass, validatePriorityClass, validatePriorityClassUpdate } from '../../api/scheduling/v1/validation.js';
import type { ResourceDef, ResourceStrategy } from '../registry.js';
import type { ApiServer } from '../server.js';

const priorityClassStrategy: ResourceStrategy<PriorityClass> = {
  defaults: setDefaultsPriorityClass,
  validate: validatePriorityClass,
  validateUpdate: validatePriorityClassUpdate,
  allowUnconditionalUpdate: true,
};

export const schedulingResources: ResourceDef[] = [
  {
    group: 'scheduling.k8s.io',
    version: 'v1',
    kind: 'PriorityClass',
    listKind: 'PriorityClassList',
    resource: 'priorityclasses',
    singular: 'priorityclass',
    namespaced: false,
    shortNames: ['pc'],
    schemaName: 'io.k8s.api.scheduling.v1.PriorityClass',
    strategy: priorityClassStrategy,
  } as ResourceDef<PriorityClass> as unknown as ResourceDef,
];

/** Creates the system priority classes that are missing. */
export async function bootstrapPriorityClasses(api: ApiServer): Promise<void> {
  const def = api.services.lookup('scheduling.k8s.io', 'v1', 'priorityclasses');
  if (!def) return;
  const store = api.storeFor(def);
  for (const pc of systemPriorityClasses()) {
    try {
      await store.get(undefined, pc.metadata.name!);
    } catch {
      try {
        await store.create(undefined, pc);
      } catch (e) {
        if ((e as { code?: number }).code !== 409) throw e;
      }
    }
  }
}
