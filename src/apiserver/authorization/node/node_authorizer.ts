// The Node authorizer (upstream plugin/pkg/auth/authorizer/node): for a node's identity (user system:node:<name>
// in group system:nodes) Secrets, ConfigMaps, PVCs and ServiceAccount tokens are allowed only when a pod bound
// to that node references them, pods only when bound to it (list/watch with its spec.nodeName field selector),
// Leases only its own in kube-node-lease; everything else by the system:node rules. NodeRestriction admission
// then narrows writes to the node's own objects. Other users: no opinion.
import type { AuthorizationAttributes, Authorizer, Decision, RulesInfo } from '../../filters/authorization.js';
import type { UserInfo } from '../../filters/user.js';
import { rulesAllow } from '../rbac/rule_match.js';
import { nodeRules } from '../bootstrap/cluster_roles.js';
import type { NodeGraph, VertexKind } from './graph.js';

export const NODES_GROUP = 'system:nodes';
export const NODE_USER_PREFIX = 'system:node:';
const NODE_LEASE_NAMESPACE = 'kube-node-lease';

/** Upstream's NodeIdentifier: the node name of a node's credentials, or undefined for anyone else. */
export function nodeIdentity(user: UserInfo): { name: string } | undefined {
  if (!user.name.startsWith(NODE_USER_PREFIX) || !user.groups.includes(NODES_GROUP)) return undefined;
  return { name: user.name.slice(NODE_USER_PREFIX.length) };
}

type Result = { decision: Decision; reason?: string };
const noOpinion = (reason = ''): Result => ({ decision: 'NoOpinion', reason });
const allow: Result = { decision: 'Allow' };

/** metadata.name=<n> or spec.nodeName=<n> (also ==) among a field selector's terms. */
function selects(fieldSelector: string | undefined, field: string, value: string): boolean {
  if (!fieldSelector) return false;
  return fieldSelector.split(',').some((t) => {
    const m = /^\s*([^=!]+?)\s*==?\s*(.*?)\s*$/.exec(t);
    return !!m && m[1] === field && m[2] === value;
  });
}

export class NodeAuthorizer implements Authorizer {
  private readonly rules = nodeRules();

  constructor(private readonly graph: NodeGraph) {}

  async authorize(a: AuthorizationAttributes): Promise<Result> {
    return this.decide(a);
  }

  decide(a: AuthorizationAttributes): Result {
    const id = nodeIdentity(a.user);
    if (!id) return noOpinion();
    const node = id.name;
    if (!node) return noOpinion(`unknown node for user "${a.user.name}"`);
    if (a.isResourceRequest && a.apiGroup === '') {
      switch (a.resource) {
        case 'secrets':
          return this.readObject(node, 'secret', a);
        case 'configmaps':
          return this.readObject(node, 'configmap', a);
        case 'persistentvolumeclaims':
          if (a.subresource === 'status') return this.statusUpdate(node, 'pvc', a);
          return this.get(node, 'pvc', a);
        case 'serviceaccounts':
          if (a.verb !== 'create' || !a.name) return noOpinion('can only create tokens for individual service accounts');
          if (a.subresource !== 'token') return noOpinion('can only create token subresource of serviceaccount');
          return this.related(node, 'serviceaccount', a);
        case 'pods':
          return this.pod(node, a);
      }
    }
    if (a.isResourceRequest && a.apiGroup === 'coordination.k8s.io' && a.resource === 'leases') return this.lease(node, a);
    return rulesAllow(a, this.rules) ? allow : noOpinion();
  }

  rulesFor(user: UserInfo): RulesInfo {
    if (!nodeIdentity(user)) return { resourceRules: [], nonResourceRules: [], incomplete: false };
    return {
      resourceRules: this.rules.filter((r) => r.resources?.length).map((r) => ({ verbs: r.verbs, apiGroups: r.apiGroups, resources: r.resources })),
      nonResourceRules: [],
      // what the graph allows cannot be listed
      incomplete: true,
    };
  }

  private related(node: string, kind: VertexKind, a: AuthorizationAttributes): Result {
    if (!a.name) return noOpinion('No Object name found');
    if (!this.graph.hasPath(node, kind, a.namespace, a.name)) return noOpinion(`no relationship found between node '${node}' and this object`);
    return allow;
  }

  /** get, or list/watch of one object by metadata.name (the kubelet's per-object watches). */
  private readObject(node: string, kind: VertexKind, a: AuthorizationAttributes): Result {
    if (a.verb !== 'get' && a.verb !== 'list' && a.verb !== 'watch') return noOpinion('can only read resources of this type');
    if (a.subresource) return noOpinion('cannot read subresource');
    if (!a.namespace) return noOpinion('can only read namespaced object of this type');
    if (a.verb !== 'get') {
      const m = /(?:^|,)\s*metadata\.name\s*==?\s*([^,\s]+)/.exec(a.fieldSelector ?? '');
      if (!m) return noOpinion('can only list/watch individual objects of this type');
      return this.related(node, kind, { ...a, name: a.name || m[1] });
    }
    return this.related(node, kind, a);
  }

  private get(node: string, kind: VertexKind, a: AuthorizationAttributes): Result {
    if (a.verb !== 'get') return noOpinion('can only get individual resources of this type');
    if (a.subresource) return noOpinion('cannot get subresource');
    return this.related(node, kind, a);
  }

  private statusUpdate(node: string, kind: VertexKind, a: AuthorizationAttributes): Result {
    if (!['update', 'patch'].includes(a.verb)) return noOpinion('can only get/update/patch this type');
    return this.related(node, kind, a);
  }

  private pod(node: string, a: AuthorizationAttributes): Result {
    if (!a.subresource && a.verb === 'get') return this.related(node, 'pod', a);
    if (!a.subresource && (a.verb === 'list' || a.verb === 'watch')) {
      if (selects(a.fieldSelector, 'spec.nodeName', node)) return allow;
      return noOpinion('can only list/watch pods with spec.nodeName field selector');
    }
    // writes (create, delete, pods/status, pods/eviction) by rule; NodeRestriction admission narrows them
    return rulesAllow(a, this.rules) ? allow : noOpinion();
  }

  private lease(node: string, a: AuthorizationAttributes): Result {
    if (!['get', 'create', 'update', 'patch', 'delete'].includes(a.verb)) return noOpinion('can only get, create, update, patch, or delete a node lease');
    if (a.namespace !== NODE_LEASE_NAMESPACE) return noOpinion(`can only access leases in the "${NODE_LEASE_NAMESPACE}" system namespace`);
    // a create has no name yet: NodeRestriction checks it
    if (a.verb !== 'create' && a.name !== node) return noOpinion('can only access node lease with the same name as the requesting node');
    return allow;
  }
}
