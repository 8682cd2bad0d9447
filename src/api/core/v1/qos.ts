// Pod QoS class (upstream GetPodQOS): Guaranteed, Burstable or BestEffort from cpu/memory requests and
// limits summed over app and init containers.
import { tryParseQuantity, Quantity } from '../../quantity.js';
import type { Container, Pod, PodQOSClass } from './types.js';

const qosResources = new Set(['cpu', 'memory']);

function addPositive(into: Map<string, Quantity>, list: Record<string, unknown> | undefined, found?: Set<string>): void {
  for (const [name, raw] of Object.entries(list ?? {})) {
    if (!qosResources.has(name)) continue;
    const q = tryParseQuantity(raw);
    if (!q || q.sign() <= 0) continue;
    found?.add(name);
    const prev = into.get(name);
    into.set(name, prev ? prev.add(q) : q);
  }
}

export function computeQOSClass(pod: Pod): PodQOSClass {
  const spec = pod.spec;
  const all: Container[] = [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])];
  const requests = new Map<string, Quantity>();
  const limits = new Map<string, Quantity>();
  let guaranteed = true;
  for (const c of all) {
    addPositive(requests, c.resources?.requests);
    const found = new Set<string>();
    addPositive(limits, c.resources?.limits, found);
    if (!found.has('cpu') || !found.has('memory')) guaranteed = false;
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  if (guaranteed) {
    for (const [name, req] of requests) {
      const lim = limits.get(name);
      if (!lim || lim.cmp(req) !== 0) {
        guaranteed = false;
        break;
      }
    }
  }
  return guaranteed && requests.size === limits.size ? 'Guaranteed' : 'Burstable';
}
