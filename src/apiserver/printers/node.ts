// Node printer: NAME, STATUS (Ready/NotReady/Unknown[,SchedulingDisabled]), ROLES, AGE, VERSION
// (+ wide INTERNAL-IP, EXTERNAL-IP, OS-IMAGE, KERNEL-VERSION, CONTAINER-RUNTIME).
import type { KubeObject } from '../../api/types.js';
import { ageColumn, column, nameColumn } from './columns.js';
import { translateTimestampSince } from './duration.js';
import { asArray, asDict, asString } from './format.js';
import type { Printer } from './types.js';

const NODE_ROLE_LABEL_PREFIX = 'node-role.kubernetes.io/';
const LEGACY_NODE_ROLE_LABEL = 'kubernetes.io/role';

/** Roles from node-role.kubernetes.io/<role> label keys and the legacy kubernetes.io/role value, sorted. */
export function findNodeRoles(node: KubeObject): string[] {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(node.metadata.labels ?? {})) {
    if (k.startsWith(NODE_ROLE_LABEL_PREFIX)) {
      const role = k.slice(NODE_ROLE_LABEL_PREFIX.length);
      if (role) roles.add(role);
    } else if (k === LEGACY_NODE_ROLE_LABEL && v) {
      roles.add(v);
    }
  }
  return [...roles].sort();
}

export function nodeStatusString(node: KubeObject): string {
  const status = asDict(node.status);
  const parts: string[] = [];
  // Only the Ready condition contributes (the last one wins if it is listed twice).
  const ready = asArray(status.conditions)
    .map(asDict)
    .filter((c) => c.type === 'Ready')
    .pop();
  if (ready) parts.push(ready.status === 'True' ? 'Ready' : 'NotReady');
  if (parts.length === 0) parts.push('Unknown');
  if (asDict(node.spec).unschedulable === true) parts.push('SchedulingDisabled');
  return parts.join(',');
}

function nodeAddress(node: KubeObject, type: string): string {
  const addr = asArray(asDict(node.status).addresses)
    .map(asDict)
    .find((a) => a.type === type);
  return addr ? asString(addr.address) : '<none>';
}

export const nodePrinter: Printer = {
  columns: [
    nameColumn,
    column('Status', 'string', 'Readiness of the node, and whether scheduling onto it is disabled.'),
    column('Roles', 'string', 'Roles taken from the node-role.kubernetes.io/* labels.'),
    ageColumn,
    column('Version', 'string', 'Version of the kubelet running on the node.'),
    column('Internal-IP', 'string', 'First InternalIP address of the node.', 1),
    column('External-IP', 'string', 'First ExternalIP address of the node.', 1),
    column('OS-Image', 'string', 'Operating system image reported by the node.', 1),
    column('Kernel-Version', 'string', 'Kernel version reported by the node.', 1),
    column('Container-Runtime', 'string', 'Container runtime name and version reported by the node.', 1),
  ],
  cells(node: KubeObject, now: Date): unknown[] {
    const info = asDict(asDict(node.status).nodeInfo);
    const roles = findNodeRoles(node).join(',');
    return [
      asString(node.metadata.name),
      nodeStatusString(node),
      roles || '<none>',
      translateTimestampSince(node.metadata.creationTimestamp, now),
      asString(info.kubeletVersion),
      nodeAddress(node, 'InternalIP'),
      nodeAddress(node, 'ExternalIP'),
      asString(info.osImage) || '<unknown>',
      asString(info.kernelVersion) || '<unknown>',
      asString(info.containerRuntimeVersion) || '<unknown>',
    ];
  },
};
