// The NodeRestriction admission plugin (upstream plugin/pkg/admission/noderestriction): a node identity may
// modify only its own Node (never its taints, nor labels under node-restriction.kubernetes.io/ or unknown
// kubernetes.io/k8s.io labels), its own Lease in kube-node-lease, the status of pods bound to it, delete those
// pods, create only mirror pods bound to itself, and ask for tokens bound to its pods.
import { isDeepStrictEqual } from 'node:util';
import type { KubeObject } from '../../../api/types.js';
import { forbidden, isStatusError } from '../../../api/errors.js';
import type { Node, Pod } from '../../../api/core/v1/types.js';
import type { AdmissionAttributes, AdmissionPlugin } from '../../admission/interfaces.js';
import { nodeIdentity } from './node_authorizer.js';

const MIRROR_POD_ANNOTATION = 'kubernetes.io/config.mirror';
const NODE_LEASE_NAMESPACE = 'kube-node-lease';
const NODE_RESTRICTION_NS = 'node-restriction.kubernetes.io';
/** Labels a kubelet may set on its Node (upstream kubeletapis.KubeletLabels). */
const KUBELET_LABELS = new Set([
  'kubernetes.io/hostname',
  'kubernetes.io/arch',
  'kubernetes.io/os',
  'beta.kubernetes.io/arch',
  'beta.kubernetes.io/os',
  'beta.kubernetes.io/instance-type',
  'node.kubernetes.io/instance-type',
  'failure-domain.beta.kubernetes.io/zone',
  'failure-domain.beta.kubernetes.io/region',
  'topology.kubernetes.io/zone',
  'topology.kubernetes.io/region',
]);
const KUBELET_LABEL_NAMESPACES = ['kubelet.kubernetes.io', 'node.kubernetes.io'];

const labelNamespace = (label: string) => (label.includes('/') ? label.slice(0, label.indexOf('/')) : '');
const inNamespace = (ns: string, base: string) => ns === base || ns.endsWith(`.${base}`);

function isKubeletLabel(label: string): boolean {
  if (KUBELET_LABELS.has(label)) return true;
  const ns = labelNamespace(label);
  return KUBELET_LABEL_NAMESPACES.some((b) => inNamespace(ns, b));
}

/** Labels added, removed or changed between two label maps. */
function modifiedLabels(next: Record<string, string> = {}, prev: Record<string, string> = {}): string[] {
  const out = new Set<string>();
  for (const [k, v] of Object.entries(next)) if (prev[k] !== v) out.add(k);
  for (const k of Object.keys(prev)) if (!(k in next)) out.add(k);
  return [...out];
}

function forbiddenLabels(labels: string[]): string[] {
  return labels
    .filter((l) => {
      const ns = labelNamespace(l);
      if (inNamespace(ns, NODE_RESTRICTION_NS)) return true;
      return (inNamespace(ns, 'kubernetes.io') || inNamespace(ns, 'k8s.io')) && !isKubeletLabel(l);
    })
    .sort();
}

export interface NodeRestrictionDeps {
  getPod(namespace: string, name: string): Promise<Pod>;
}

export function nodeRestriction(deps: NodeRestrictionDeps): AdmissionPlugin {
  const deny = (a: AdmissionAttributes, why: string) => forbidden({ group: a.resource.group, resource: a.resource.resource }, a.name, why);

  async function existingPod(a: AdmissionAttributes): Promise<Pod | undefined> {
    if (a.oldObject) return a.oldObject as Pod;
    try {
      return await deps.getPod(a.namespace, a.name);
    } catch (e) {
      if (isStatusError(e) && e.code === 404) return undefined;
      throw e;
    }
  }

  async function admitPod(node: string, a: AdmissionAttributes): Promise<void> {
    switch (a.subresource) {
      case '':
        break;
      case 'status': {
        const pod = (a.oldObject ?? a.object) as Pod | undefined;
        if (pod?.spec?.nodeName !== node) throw deny(a, `node "${node}" can only update pod status for pods with spec.nodeName set to itself`);
        return;
      }
      case 'eviction': {
        const pod = await existingPod(a);
        if (pod && pod.spec?.nodeName !== node) throw deny(a, `node "${node}" can only evict pods with spec.nodeName set to itself`);
        return;
      }
      default:
        throw deny(a, `unexpected pod subresource "${a.subresource}", only 'status' and 'eviction' are allowed`);
    }
    if (a.operation === 'CREATE') {
      const pod = a.object as Pod;
      if (!pod.metadata.annotations || !(MIRROR_POD_ANNOTATION in pod.metadata.annotations)) {
        throw deny(a, `pod does not have "${MIRROR_POD_ANNOTATION}" annotation, node "${node}" can only create mirror pods`);
      }
      if (pod.spec?.nodeName !== node) throw deny(a, `node "${node}" can only create pods with spec.nodeName set to itself`);
      return;
    }
    if (a.operation === 'DELETE') {
      const pod = await existingPod(a);
      if (pod && pod.spec?.nodeName !== node) throw deny(a, `node "${node}" can only delete pods with spec.nodeName set to itself`);
      return;
    }
    throw deny(a, `unexpected operation "${a.operation}", node "${node}" can only create and delete mirror pods`);
  }

  function admitNode(node: string, a: AdmissionAttributes): void {
    if (a.name !== node) throw deny(a, `node "${node}" is not allowed to modify node "${a.name}"`);
    const obj = a.object as Node | undefined;
    if (a.operation === 'CREATE' && obj) {
      const bad = forbiddenLabels(modifiedLabels(obj.metadata.labels, undefined));
      if (bad.length) throw deny(a, `node "${node}" is not allowed to set the following labels: ${bad.join(', ')}`);
    }
    if (a.operation === 'UPDATE' && obj && a.oldObject) {
      const old = a.oldObject as Node;
      if (!isDeepStrictEqual(obj.spec?.taints ?? [], old.spec?.taints ?? [])) throw deny(a, `node "${node}" is not allowed to modify taints`);
      const bad = forbiddenLabels(modifiedLabels(obj.metadata.labels, old.metadata.labels));
      if (bad.length) throw deny(a, `is not allowed to modify labels: ${bad.join(', ')}`);
    }
  }

  function admitLease(node: string, a: AdmissionAttributes): void {
    if (a.namespace !== NODE_LEASE_NAMESPACE) throw deny(a, `can only access leases in the "${NODE_LEASE_NAMESPACE}" system namespace`);
    const name = a.operation === 'CREATE' ? (a.object as KubeObject | undefined)?.metadata.name : a.name;
    if (name !== node) throw deny(a, 'can only access node lease with the same name as the requesting node');
  }

  async function admitToken(node: string, a: AdmissionAttributes): Promise<void> {
    const ref = (a.object as { spec?: { boundObjectRef?: { kind?: string; name?: string; uid?: string } } } | undefined)?.spec?.boundObjectRef;
    if (!ref) throw deny(a, 'node requested token not bound to a pod');
    if (ref.kind !== 'Pod') throw deny(a, `node requested token bound to object of kind "${ref.kind ?? ''}", only pods are allowed`);
    const pod = await existingPod({ ...a, oldObject: undefined, name: ref.name ?? '' });
    if (!pod) throw deny(a, `pod "${ref.name}" not found`);
    if (ref.uid && ref.uid !== pod.metadata.uid)
      throw deny(
        a,
        `the UID in the bound object reference (${ref.uid}) does not match the UID in record. The object might have been deleted and then recreated`,
      );
    if (pod.spec?.nodeName !== node) throw deny(a, 'node requested token bound to a pod scheduled on a different node');
  }

  return {
    name: 'NodeRestriction',
    handles: (op) => op === 'CREATE' || op === 'UPDATE' || op === 'DELETE',
    async validate(a) {
      const id = nodeIdentity(a.userInfo);
      if (!id) return;
      const node = id.name;
      const { group, resource } = a.resource;
      if (group === '' && resource === 'pods') return admitPod(node, a);
      if (group === '' && resource === 'nodes') return admitNode(node, a);
      if (group === 'coordination.k8s.io' && resource === 'leases') return admitLease(node, a);
      if (group === '' && resource === 'serviceaccounts' && a.subresource === 'token' && a.operation === 'CREATE') return admitToken(node, a);
    },
  };
}
