// `--pod-network host-gw|none`: the pod network across nodes that a machine runs beside its node agent (or on a
// control-plane-only server, so the API server reaches pods): host-gw routes to the other nodes' podCIDRs.
import type { KubeClient } from '../client/rest.js';
import type { SharedInformerFactory } from '../client/informer_factory.js';
import { HostGatewayController } from '../podnetwork/host_gw.js';

export const POD_NETWORK_BACKENDS = ['host-gw', 'none'] as const;

export function podNetworkBackend(v: string | undefined, dflt: 'host-gw' | 'none'): 'host-gw' | 'none' {
  const b = v ?? dflt;
  if (b !== 'host-gw' && b !== 'none') throw new Error(`--pod-network must be host-gw or none, got ${JSON.stringify(v)}`);
  return b;
}

/** Starts the backend; returns what stops it (undefined for none). */
export function startPodNetwork(
  backend: 'host-gw' | 'none',
  o: { client: KubeClient; nodeName?: string; clusterCIDR?: string; factory?: SharedInformerFactory },
): { stop(): Promise<void> } | undefined {
  if (backend === 'none') return undefined;
  const c = new HostGatewayController(o);
  c.start();
  return c;
}
