// The HPA's resource metrics client (upstream metrics/client.go resourceMetricsClient): PodMetrics of the
// target's pods from metrics.k8s.io, each pod's usage summed over its containers (or one container).
import type { PodMetrics } from '../../api/metrics/types.js';
import type { KubeClient } from '../../client/rest.js';
import { quantityValue, type PodMetricsInfo } from './replica_calculator.js';

const windowMs = (w: string | undefined) => {
  const m = /^([0-9.]+)s$/.exec(w ?? '');
  return m ? Number(m[1]) * 1000 : 0;
};

export class ResourceMetricsClient {
  constructor(private readonly client: KubeClient) {}

  async podMetrics(namespace: string, selector: string, resource: string, container?: string): Promise<PodMetricsInfo> {
    const list = await this.client.list<PodMetrics>(`/apis/metrics.k8s.io/v1beta1/namespaces/${encodeURIComponent(namespace)}/pods`, {
      query: { labelSelector: selector },
    });
    if (!list.items.length) throw new Error('no metrics returned from resource metrics API');
    const out: PodMetricsInfo = new Map();
    for (const pm of list.items) {
      let sum = 0;
      let found = false;
      for (const c of pm.containers ?? []) {
        if (container && c.name !== container) continue;
        const u = c.usage?.[resource];
        if (u === undefined) continue;
        sum += quantityValue(u, resource);
        found = true;
      }
      if (!found) continue;
      out.set(pm.metadata.name!, { value: sum, timestamp: Date.parse(pm.timestamp), windowMs: windowMs(pm.window) });
    }
    return out;
  }
}
