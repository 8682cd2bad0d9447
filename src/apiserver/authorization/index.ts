// The API server's authorization (upstream --authorization-mode=Node,RBAC): the Node authorizer, then RBAC,
// both reading in-memory state fed by the store's watch; the bootstrap policy they start from; and the
// admission plugins that go with them (NodeRestriction, RBAC escalation prevention).
import type { Storage } from '../../storage/interface.js';
import type { Authorizer } from '../filters/authorization.js';
import { PolicyCache } from './rbac/policy_cache.js';
import { RBACAuthorizer } from './rbac/rbac_authorizer.js';
import { NodeGraph } from './node/graph.js';
import { NodeAuthorizer } from './node/node_authorizer.js';
import { UnionAuthorizer } from './union.js';

export { reconcileBootstrapPolicy } from './bootstrap/reconcile.js';
export { rbacEscalation } from './rbac/escalation.js';
export { nodeRestriction } from './node/node_restriction.js';
export { RBACAuthorizer } from './rbac/rbac_authorizer.js';
export { PolicyCache } from './rbac/policy_cache.js';

export interface NodeRBACAuthorization {
  authorizer: Authorizer;
  rbac: RBACAuthorizer;
  node: NodeAuthorizer;
  /** Lists the policy and the pods, then watches them; resolves once decisions see the whole store. */
  start(): Promise<void>;
  stop(): void;
}

export function nodeRBACAuthorization(storage: Storage): NodeRBACAuthorization {
  const cache = new PolicyCache(storage);
  const graph = new NodeGraph(storage);
  const rbac = new RBACAuthorizer(cache);
  const node = new NodeAuthorizer(graph);
  return {
    authorizer: new UnionAuthorizer([node, rbac]),
    rbac,
    node,
    start: async () => {
      await Promise.all([cache.start(), graph.start()]);
    },
    stop: () => {
      cache.stop();
      graph.stop();
    },
  };
}
