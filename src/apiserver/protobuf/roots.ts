// The protobufjs Roots built (once, lazily) from our descriptor tables: Kubernetes API messages and
// gnostic's OpenAPI v2 document (Kubernetes messages are proto2: explicit presence).
import protobuf from 'protobufjs';
import { k8sDescriptor } from './descriptors/k8s.js';
import { gnosticDescriptor } from './descriptors/gnostic.js';

let k8s: protobuf.Root | undefined;
let gnostic: protobuf.Root | undefined;

type Node = { nested?: Record<string, Node>; fields?: unknown; edition?: string };

/** A copy of a descriptor tree with every message marked with its syntax (protobufjs assumes proto3). */
function withEdition(node: Node, edition: string): Node {
  const out: Node = { ...node };
  if (out.fields) out.edition = edition;
  if (node.nested) out.nested = Object.fromEntries(Object.entries(node.nested).map(([k, v]) => [k, withEdition(v, edition)]));
  return out;
}

function build(json: Node, edition: 'proto2' | 'proto3'): protobuf.Root {
  const root = protobuf.Root.fromJSON(withEdition(json, edition) as protobuf.INamespace);
  root.resolveAll();
  return root;
}

export function kubernetesRoot(): protobuf.Root {
  return (k8s ??= build(k8sDescriptor as Node, 'proto2'));
}

export function gnosticRoot(): protobuf.Root {
  return (gnostic ??= build(gnosticDescriptor as Node, 'proto3'));
}
