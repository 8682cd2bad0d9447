// Printers for the simple core/v1 kinds: Namespace, ConfigMap, Secret, ServiceAccount, Service.
import type { KubeObject } from '../../api/types.js';
import { ageColumn, column, nameColumn } from './columns.js';
import { translateTimestampSince } from './duration.js';
import { asArray, asDict, asNumber, asString, formatLabels } from './format.js';
import type { Printer } from './types.js';

function keyCount(v: unknown): number {
  return Object.keys(asDict(v)).length;
}

function age(obj: KubeObject, now: Date): string {
  return translateTimestampSince(obj.metadata.creationTimestamp, now);
}

export const namespacePrinter: Printer = {
  columns: [nameColumn, column('Status', 'string', 'Lifecycle phase of the namespace (Active or Terminating).'), ageColumn],
  cells: (ns, now) => [asString(ns.metadata.name), asString(asDict(ns.status).phase), age(ns, now)],
};

export const configMapPrinter: Printer = {
  columns: [nameColumn, column('Data', 'string', 'Number of keys in data and binaryData.'), ageColumn],
  cells: (cm, now) => [asString(cm.metadata.name), keyCount(cm.data) + keyCount(cm.binaryData), age(cm, now)],
};

export const secretPrinter: Printer = {
  columns: [
    nameColumn,
    column('Type', 'string', 'Secret type, used to check which keys the data must hold.'),
    column('Data', 'string', 'Number of keys in data.'),
    ageColumn,
  ],
  cells: (s, now) => [asString(s.metadata.name), asString(s.type), keyCount(s.data), age(s, now)],
};

export const serviceAccountPrinter: Printer = {
  columns: [nameColumn, column('Secrets', 'string', 'Number of secrets listed in the service account.'), ageColumn],
  cells: (sa, now) => [asString(sa.metadata.name), asArray(sa.secrets).length, age(sa, now)],
};

/** Ports as "80/TCP" or "80:30080/TCP", comma-joined. */
export function servicePortsString(ports: unknown): string {
  return asArray(ports)
    .map(asDict)
    .map((p) => {
      const proto = asString(p.protocol) || 'TCP';
      const nodePort = asNumber(p.nodePort);
      return nodePort > 0 ? `${asNumber(p.port)}:${nodePort}/${proto}` : `${asNumber(p.port)}/${proto}`;
    })
    .join(',');
}

function serviceExternalIP(spec: Record<string, unknown>, status: Record<string, unknown>): string {
  const externalIPs = asArray(spec.externalIPs).map(asString);
  switch (asString(spec.type) || 'ClusterIP') {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length > 0 ? externalIPs.join(',') : '<none>';
    case 'LoadBalancer': {
      const seen = new Set<string>();
      for (const ing of asArray(asDict(status.loadBalancer).ingress).map(asDict)) {
        const v = asString(ing.ip) || asString(ing.hostname);
        if (v) seen.add(v);
      }
      const all = [...seen, ...externalIPs];
      return all.length > 0 ? all.join(',') : '<pending>';
    }
    case 'ExternalName':
      return asString(spec.externalName);
    default:
      return '<unknown>';
  }
}

export const servicePrinter: Printer = {
  columns: [
    nameColumn,
    column('Type', 'string', 'How the service is exposed (ClusterIP, NodePort, LoadBalancer, ExternalName).'),
    column('Cluster-IP', 'string', 'Virtual IP of the service inside the cluster.'),
    column('External-IP', 'string', 'Addresses the service is reachable at from outside the cluster.'),
    column('Port(s)', 'string', 'Ports exposed by the service.'),
    ageColumn,
    column('Selector', 'string', 'Labels selecting the pods behind the service.', 1),
  ],
  cells(svc, now) {
    const spec = asDict(svc.spec);
    const clusterIPs = asArray(spec.clusterIPs).map(asString);
    const clusterIP = clusterIPs[0] || asString(spec.clusterIP) || '<none>';
    return [
      asString(svc.metadata.name),
      asString(spec.type) || 'ClusterIP',
      clusterIP,
      serviceExternalIP(spec, asDict(svc.status)),
      servicePortsString(spec.ports) || '<none>',
      age(svc, now),
      formatLabels(spec.selector),
    ];
  },
};
