// Pod → runtime PodSandboxConfig (upstream generatePodSandboxConfig): identity, hostname, host namespaces,
// shared PID namespace, hostPort mappings, hostAliases and DNS settings.
import type { Pod } from '../../api/core/v1/types.js';
import type { DNSConfig, PodSandboxConfig, PortMapping } from '../../runtime/types.js';
import type { DNSConfigurer } from '../network/dns.js';
import { LabelPodName, LabelPodNamespace, LabelPodUID } from './labels.js';

export function podHostname(pod: Pod): string {
  const h = pod.spec?.hostname || pod.metadata.name || '';
  return h.length > 63 ? h.slice(0, 63).replace(/[-.]+$/, '') : h;
}

/** Without a configurer (unit tests) the pod's own dnsConfig alone, as a pod with dnsPolicy None. */
function dnsConfig(pod: Pod, dns?: DNSConfigurer): DNSConfig | undefined {
  if (dns) return dns.podDNS(pod);
  const cfg = pod.spec?.dnsConfig;
  if (!cfg) return undefined;
  const out: DNSConfig = {};
  if (cfg.nameservers?.length) out.servers = cfg.nameservers;
  if (cfg.searches?.length) out.searches = cfg.searches;
  if (cfg.options?.length) out.options = cfg.options.map((o) => (o.value !== undefined ? `${o.name}:${o.value}` : `${o.name}`));
  return out;
}

export function makeSandboxConfig(pod: Pod, attempt: number, dns?: DNSConfigurer): PodSandboxConfig {
  const spec = pod.spec ?? { containers: [] };
  const ports: PortMapping[] = [];
  for (const c of spec.containers) {
    for (const p of c.ports ?? []) {
      if (!p.hostPort) continue;
      const m: PortMapping = { hostPort: p.hostPort, containerPort: p.containerPort, protocol: p.protocol ?? 'TCP' };
      if (p.hostIP) m.hostIP = p.hostIP;
      ports.push(m);
    }
  }
  const cfg: PodSandboxConfig = {
    metadata: { name: pod.metadata.name!, namespace: pod.metadata.namespace ?? 'default', uid: pod.metadata.uid!, attempt },
    hostNetwork: !!spec.hostNetwork,
    hostIPC: !!spec.hostIPC,
    hostPID: !!spec.hostPID,
    shareProcessNamespace: !!spec.shareProcessNamespace,
    labels: { [LabelPodUID]: pod.metadata.uid!, [LabelPodName]: pod.metadata.name!, [LabelPodNamespace]: pod.metadata.namespace ?? 'default' },
  };
  // upstream sets no hostname for a hostNetwork pod: it is in the node's UTS namespace and has its name
  if (!spec.hostNetwork) cfg.hostname = podHostname(pod);
  if (ports.length) cfg.portMappings = ports;
  const aliases = (spec.hostAliases ?? []).map((a) => ({ ip: a.ip, hostnames: a.hostnames ?? [] }));
  if (aliases.length) cfg.hostAliases = aliases;
  const resolv = dnsConfig(pod, dns);
  if (resolv) cfg.dns = resolv;
  return cfg;
}
