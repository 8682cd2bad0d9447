// Service environment variables of a container (upstream kubelet getServiceEnvVarMap + pkg/kubelet/envvars):
// the `kubernetes` Service of `default` always, and with enableServiceLinks every Service of the pod's own
// namespace (which wins over the master one of the same name); headless and IP-less Services are left out.
// Each becomes <NAME>_SERVICE_HOST/_PORT(_<PORTNAME>) and the Docker-link style <NAME>_PORT* variables.
import type { Service } from '../api/core/v1/service_types.js';

/** The namespace and names of the master Services every pod gets (upstream masterServiceNamespace). */
const MASTER_NAMESPACE = 'default';
const MASTER_SERVICES = new Set(['kubernetes']);

/** Upstream makeEnvVariableName: upper case, dashes to underscores. */
const envName = (s: string): string => s.toUpperCase().replace(/-/g, '_');

const hasClusterIP = (svc: Service): boolean => {
  const ip = svc.spec?.clusterIP;
  return !!ip && ip !== 'None';
};

/** The Services whose variables a pod in `namespace` gets, by name (upstream's serviceMap). */
export function servicesForPod(services: Iterable<Service>, namespace: string, enableServiceLinks: boolean): Service[] {
  const byName = new Map<string, Service>();
  for (const svc of services) {
    const name = svc.metadata.name;
    if (!name || !hasClusterIP(svc)) continue;
    const ns = svc.metadata.namespace ?? '';
    if (ns === MASTER_NAMESPACE && MASTER_SERVICES.has(name)) {
      if (!byName.has(name)) byName.set(name, svc);
    } else if (ns === namespace && enableServiceLinks) {
      byName.set(name, svc);
    }
  }
  return [...byName.values()];
}

/** The variables of the given Services (upstream envvars.FromServices), in its order. */
export function serviceEnvVars(services: Service[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const svc of services) {
    const ports = svc.spec?.ports ?? [];
    const ip = svc.spec!.clusterIP!;
    const prefix = envName(svc.metadata.name!);
    env[`${prefix}_SERVICE_HOST`] = ip;
    if (ports.length) env[`${prefix}_SERVICE_PORT`] = String(ports[0]!.port);
    for (const p of ports) if (p.name) env[`${prefix}_SERVICE_PORT_${envName(p.name)}`] = String(p.port);
    const hostPort = (port: number) => (ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`);
    ports.forEach((p, i) => {
      const proto = (p.protocol ?? 'TCP').toLowerCase();
      const url = `${proto}://${hostPort(p.port)}`;
      // Docker special-cases the first port
      if (i === 0) env[`${prefix}_PORT`] = url;
      const portPrefix = `${prefix}_PORT_${p.port}_${proto.toUpperCase()}`;
      env[portPrefix] = url;
      env[`${portPrefix}_PROTO`] = proto;
      env[`${portPrefix}_PORT`] = String(p.port);
      env[`${portPrefix}_ADDR`] = ip;
    });
  }
  return env;
}

/** The Service variables of a pod's containers. */
export function podServiceEnv(services: Iterable<Service>, namespace: string, enableServiceLinks: boolean | undefined): Record<string, string> {
  return serviceEnvVars(servicesForPod(services, namespace, enableServiceLinks ?? true));
}
