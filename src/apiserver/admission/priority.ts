// The Priority admission plugin (upstream plugin/pkg/admission/priority): on pod create, resolves
// spec.priorityClassName (or the global default class) into spec.priority and spec.preemptionPolicy, refusing
// an unknown class or a priority/policy that contradicts the class; keeps a single globalDefault class; and
// refuses deleting the system classes. Classes are read from the store and cached until one is written.
import { forbidden } from '../../api/errors.js';
import type { Pod } from '../../api/core/v1/types.js';
import { DEFAULT_PRIORITY_WHEN_NO_DEFAULT_CLASS_EXISTS, systemPriorityClasses, type PriorityClass } from '../../api/scheduling/v1/types.js';
import type { AdmissionAttributes, AdmissionPlugin } from './interfaces.js';

export interface PriorityClassSource {
  list(): Promise<PriorityClass[]>;
}

function objectName(a: AdmissionAttributes): string {
  return a.name || a.object?.metadata.name || a.object?.metadata.generateName || 'Unknown';
}

export function priorityAdmission(source: PriorityClassSource): AdmissionPlugin {
  let cached: Promise<PriorityClass[]> | undefined;
  let cachedAt = 0;
  // a write through this server drops the cache; 2 s bound anything else (a write racing the refill)
  const classes = () => {
    if (!cached || Date.now() - cachedAt > 2000) {
      cachedAt = Date.now();
      cached = source.list().catch((e) => ((cached = undefined), Promise.reject(e)));
    }
    return cached;
  };
  const isPod = (a: AdmissionAttributes) => a.resource.group === '' && a.resource.resource === 'pods' && a.subresource === '';
  const isPC = (a: AdmissionAttributes) => a.resource.group === 'scheduling.k8s.io' && a.resource.resource === 'priorityclasses';
  return {
    name: 'Priority',
    handles: (op) => op === 'CREATE' || op === 'UPDATE' || op === 'DELETE',
    async admit(a) {
      if (isPC(a)) {
        cached = undefined;
        if (a.operation === 'DELETE' && systemPriorityClasses().some((c) => c.metadata.name === a.name))
          throw forbidden({ group: a.resource.group, resource: a.resource.resource }, a.name, 'this is a system priority class and cannot be deleted');
        return;
      }
      if (!isPod(a) || a.operation !== 'CREATE' || !a.object) return;
      const pod = a.object as Pod;
      const spec = pod.spec;
      if (!spec) return;
      const gr = { group: '', resource: 'pods' };
      let priority = DEFAULT_PRIORITY_WHEN_NO_DEFAULT_CLASS_EXISTS;
      let policy: PriorityClass['preemptionPolicy'];
      const all = await classes();
      if (!spec.priorityClassName) {
        // more than one global default (a race) resolves to the lowest value, as upstream
        let def: PriorityClass | undefined;
        for (const pc of all) if (pc.globalDefault && (!def || pc.value < def.value)) def = pc;
        if (def) {
          priority = def.value;
          policy = def.preemptionPolicy;
          spec.priorityClassName = def.metadata.name;
        }
      } else {
        let pc = all.find((c) => c.metadata.name === spec.priorityClassName);
        if (!pc) {
          cached = undefined;
          pc = (await classes()).find((c) => c.metadata.name === spec.priorityClassName);
        }
        if (!pc) throw forbidden(gr, objectName(a), `no PriorityClass with name ${spec.priorityClassName} was found`);
        priority = pc.value;
        policy = pc.preemptionPolicy;
      }
      if (typeof spec.priority === 'number' && spec.priority !== priority)
        throw forbidden(
          gr,
          objectName(a),
          `the integer value of priority (${spec.priority}) must not be provided in pod spec; priority admission controller computed ${priority} from the given PriorityClass name`,
        );
      spec.priority = priority;
      if (policy) {
        if (spec.preemptionPolicy && spec.preemptionPolicy !== policy)
          throw forbidden(
            gr,
            objectName(a),
            `the string value of PreemptionPolicy (${spec.preemptionPolicy}) must not be provided in pod spec; priority admission controller computed ${policy} from the given PriorityClass name`,
          );
        spec.preemptionPolicy = policy;
      }
    },
    async validate(a) {
      if (!isPC(a) || (a.operation !== 'CREATE' && a.operation !== 'UPDATE')) return;
      const pc = a.object as PriorityClass | undefined;
      if (!pc?.globalDefault) return;
      const other = (await source.list()).find((c) => c.globalDefault && c.metadata.name !== pc.metadata.name);
      if (other)
        throw forbidden(
          { group: a.resource.group, resource: a.resource.resource },
          objectName(a),
          `PriorityClass ${other.metadata.name} is already marked as default. Only one default can exist`,
        );
    },
  };
}
