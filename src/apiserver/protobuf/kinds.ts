// Maps an apiVersion + kind to the fully-qualified protobuf message name (k8s.io.api.<group>.<version>.<Kind>).
import type protobuf from 'protobufjs';
import { kubernetesRoot } from './roots.js';

/** apiVersion "v1" -> core; "apps/v1" -> apps; "rbac.authorization.k8s.io/v1" -> rbac (first DNS label). */
export function messageNameFor(apiVersion: string, kind: string): string | undefined {
  if (!/^[A-Z][A-Za-z0-9]*$/.test(kind)) return undefined;
  const slash = apiVersion.indexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
  if (!/^v[0-9]+((alpha|beta)[0-9]+)?$/.test(version)) return undefined;
  if (group === 'meta.k8s.io') return `k8s.io.apimachinery.pkg.apis.meta.${version}.${kind}`;
  const pkg = group === '' ? 'core' : group.split('.')[0];
  if (!/^[a-z0-9]+$/.test(pkg)) return undefined;
  return `k8s.io.api.${pkg}.${version}.${kind}`;
}

/** The message type for apiVersion/kind, or undefined when we have no descriptor for it. */
export function messageTypeFor(apiVersion: string, kind: string): protobuf.Type | undefined {
  const name = messageNameFor(apiVersion, kind);
  if (!name) return undefined;
  const found = kubernetesRoot().lookup(name);
  return found && 'fieldsArray' in found ? (found as protobuf.Type) : undefined;
}
