// The ClusterRole aggregation controller (upstream pkg/controller/clusterroleaggregation): a ClusterRole with
// an aggregationRule gets the rules of every ClusterRole its selectors match; any ClusterRole change requeues
// the aggregated ones, and each reconcile writes the union only when it differs.
import { isDeepStrictEqual } from 'node:util';
import { aggregatedRules } from '../api/rbac/v1/aggregation.js';
import type { ClusterRole } from '../api/rbac/v1/types.js';
import { Controller } from '../client/controller.js';
import type { SharedInformerFactory } from '../client/informer_factory.js';
import type { Lister } from '../client/listers.js';
import type { KubeClient } from '../client/rest.js';
import { ResourceClient, type ResourceRef } from '../client/typed.js';
import type { Logger } from '../log/logger.js';

export const clusterRolesRef: ResourceRef = { group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'clusterroles', namespaced: false };

export class ClusterRoleAggregationController extends Controller {
  private readonly lister: Lister<ClusterRole>;
  private readonly roles: ResourceClient<ClusterRole>;

  constructor(client: KubeClient, opts: { log?: Logger; factory?: SharedInformerFactory } = {}) {
    super({ name: 'clusterrole-aggregation', client, factory: opts.factory, log: opts.log });
    this.roles = new ResourceClient<ClusterRole>(client, clusterRolesRef);
    const informer = this.factory.informerFor<ClusterRole>(clusterRolesRef);
    this.lister = informer.lister;
    // any role may be selected by an aggregated one: requeue every aggregated role on each change
    const requeue = () => {
      for (const r of this.lister.list()) if (r.aggregationRule) this.enqueue(r);
    };
    this.watch(informer, { onAdd: requeue, onUpdate: requeue, onDelete: requeue });
  }

  protected async reconcile(name: string): Promise<void> {
    const role = this.lister.get(name);
    if (!role?.aggregationRule) return;
    const rules = aggregatedRules(role, this.lister.list());
    if (isDeepStrictEqual(rules, role.rules ?? [])) return;
    await this.roles.update({ ...structuredClone(role), rules });
    this.log.info({ clusterRole: name, rules: rules.length }, 'Aggregated ClusterRole rules');
  }
}
