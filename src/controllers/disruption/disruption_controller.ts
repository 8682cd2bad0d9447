// The disruption controller (upstream pkg/controller/disruption): keeps every PodDisruptionBudget's status —
// expectedPods, desiredHealthy, currentHealthy, disruptionsAllowed, observedGeneration, the pending
// disruptedPods the eviction subresource recorded, and the DisruptionAllowed condition. The sole writer of
// pdb status besides the eviction handler's decrement. Pods map to the budgets of their namespace that select them.
import type { Pod } from '../../api/core/v1/types.js';
import { isStatusError } from '../../api/errors.js';
import { labelSelectorAsSelector } from '../../api/labels.js';
import type { PodDisruptionBudget } from '../../api/policy/v1/types.js';
import type { KubeObject, OwnerReference } from '../../api/types.js';
import { Controller, type ReconcileResult } from '../../client/controller.js';
import { EventRecorder, timestamp } from '../../client/events.js';
import type { SharedInformerFactory } from '../../client/informer_factory.js';
import type { KubeClient } from '../../client/rest.js';
import type { SharedIndexInformer } from '../../client/shared_informer.js';
import { PolicyResources, policyV1 } from '../../client/typed_policy.js';
import type { Logger } from '../../log/logger.js';
import { controllerRefOf } from '../controller_utils.js';
import { countHealthy, expectedAndDesired, failSafeStatus, needsScale, pendingDisruptions, statusEqual, syncedStatus } from './budget_status.js';

interface ControllerAndScale {
  uid: string;
  scale: number;
}

/** Where the scalable kinds live (upstream's finders plus the generic scale subresource). */
const SCALABLE: Record<string, { prefix: string; resource: string }> = {
  'apps/ReplicaSet': { prefix: '/apis/apps/v1', resource: 'replicasets' },
  'apps/Deployment': { prefix: '/apis/apps/v1', resource: 'deployments' },
  'apps/StatefulSet': { prefix: '/apis/apps/v1', resource: 'statefulsets' },
  '/ReplicationController': { prefix: '/api/v1', resource: 'replicationcontrollers' },
};

const groupOf = (apiVersion: string | undefined) => (apiVersion?.includes('/') ? apiVersion.split('/')[0]! : '');

export class DisruptionController extends Controller {
  private readonly pods: SharedIndexInformer<Pod>;
  private readonly pdbs: SharedIndexInformer<PodDisruptionBudget>;
  private readonly recorder: EventRecorder;
  private readonly now: () => number;

  constructor(
    private readonly client: KubeClient,
    opts: { factory?: SharedInformerFactory; log?: Logger; workers?: number; now?: () => number } = {},
  ) {
    super({ name: 'disruption', client, factory: opts.factory, log: opts.log, workers: opts.workers ?? 2 });
    this.now = opts.now ?? Date.now;
    this.recorder = new EventRecorder(client, { component: 'controllermanager' }, (e) => this.log.debug({ err: String(e) }, 'event write failed'));
    this.pods = this.factory.pods();
    this.pdbs = this.factory.informerFor<PodDisruptionBudget>(PolicyResources.podDisruptionBudgets);
    this.watch(this.pdbs, this.enqueueAll());
    this.watch(this.pods, {
      onAdd: (p) => this.enqueueBudgetsOf(p),
      onUpdate: (old, p) => {
        this.enqueueBudgetsOf(p);
        if (JSON.stringify(old.metadata.labels ?? {}) !== JSON.stringify(p.metadata.labels ?? {})) this.enqueueBudgetsOf(old);
      },
      onDelete: (p) => this.enqueueBudgetsOf(p),
    });
  }

  private budgetsOf(pod: Pod): PodDisruptionBudget[] {
    const ns = pod.metadata.namespace ?? '';
    return this.pdbs.lister
      .namespace(ns)
      .list()
      .filter((b) => selects(b, pod));
  }

  private enqueueBudgetsOf(pod: Pod): void {
    for (const b of this.budgetsOf(pod)) this.enqueue(b);
  }

  protected async reconcile(key: string): Promise<ReconcileResult | void> {
    const pdb = this.pdbs.get(key);
    if (!pdb) return;
    const nowStr = timestamp(new Date(this.now()));
    try {
      return await this.trySync(pdb, nowStr);
    } catch (e) {
      if (isStatusError(e) && e.code === 409) throw e; // a newer budget is on its way: retry with backoff
      this.log.warn({ pdb: key, err: String((e as Error)?.message ?? e) }, 'failed to sync pdb');
      await this.writeStatus(pdb, failSafeStatus(pdb, String((e as Error)?.message ?? e), nowStr));
      throw e;
    }
  }

  private async trySync(pdb: PodDisruptionBudget, nowStr: string): Promise<ReconcileResult | void> {
    const now = this.now();
    const pods = this.pods.lister
      .namespace(pdb.metadata.namespace ?? '')
      .list()
      .filter((p) => selects(pdb, p));
    if (pods.length === 0) this.recorder.event(pdb, 'Normal', 'NoPods', 'No matching pods found');
    let scale = 0;
    if (needsScale(pdb)) {
      try {
        scale = await this.expectedScale(pdb, pods);
      } catch (e) {
        const msg = String((e as Error)?.message ?? e);
        this.recorder.event(pdb, 'Warning', 'CalculateExpectedPodCountFailed', `Failed to calculate the number of expected pods: ${msg}`);
        throw e;
      }
    }
    const { expectedCount, desiredHealthy } = expectedAndDesired(pdb, pods, scale);
    const { disrupted, recheckAt, notDeleted } = pendingDisruptions(pdb, pods, now);
    for (const pod of notDeleted)
      this.recorder.event(pod, 'Warning', 'NotDeleted', `Pod was expected by PDB ${pdb.metadata.namespace}/${pdb.metadata.name} to be deleted but it wasn't`);
    const currentHealthy = countHealthy(pods, disrupted, now);
    await this.writeStatus(pdb, syncedStatus(pdb, { currentHealthy, desiredHealthy, expectedCount, disrupted }, nowStr));
    if (recheckAt !== undefined) return { requeueAfterMs: Math.max(0, recheckAt - now) + 10 };
  }

  private async writeStatus(pdb: PodDisruptionBudget, status: PodDisruptionBudget['status'] & object): Promise<void> {
    if (statusEqual(pdb.status, status) && (pdb.status?.observedGeneration ?? 0) === (pdb.metadata.generation ?? 0)) return;
    const next: PodDisruptionBudget = { ...pdb, status };
    try {
      await policyV1(this.client).podDisruptionBudgets(pdb.metadata.namespace).updateStatus(next);
    } catch (e) {
      if (isStatusError(e) && e.code === 404) return;
      throw e;
    }
  }

  /** The summed scale of the controllers owning the pods (upstream getExpectedScale); unmanaged pods are reported and ignored. */
  private async expectedScale(pdb: PodDisruptionBudget, pods: Pod[]): Promise<number> {
    const byController = new Map<string, number>();
    const seen = new Set<string>();
    const unmanaged: string[] = [];
    for (const pod of pods) {
      const ref = controllerRefOf(pod);
      if (!ref) {
        unmanaged.push(pod.metadata.name!);
        continue;
      }
      if (seen.has(ref.uid)) continue;
      seen.add(ref.uid);
      const found = await this.scaleOf(ref, pod.metadata.namespace ?? '');
      if (found) byController.set(found.uid, found.scale);
    }
    if (unmanaged.length)
      this.recorder.event(
        pdb,
        'Warning',
        'UnmanagedPods',
        `Pods selected by this PodDisruptionBudget (selector: ${JSON.stringify(pdb.spec?.selector ?? {})}) were found to be unmanaged. As a result, the status of the PDB cannot be calculated correctly, which may result in undefined behavior. To account for these pods please set ".spec.minAvailable" field of the PDB to an integer value.`,
      );
    let total = 0;
    for (const n of byController.values()) total += n;
    return total;
  }

  private async scaleOf(ref: OwnerReference, namespace: string): Promise<ControllerAndScale | undefined> {
    const group = groupOf(ref.apiVersion);
    const path = (prefix: string, resource: string, name: string, sub = '') =>
      `${prefix}/namespaces/${encodeURIComponent(namespace)}/${resource}/${encodeURIComponent(name)}${sub}`;
    if (group === 'apps' && ref.kind === 'ReplicaSet') {
      // a ReplicaSet of a Deployment counts as its Deployment (upstream getPodDeployment)
      const rs = await this.client.get<KubeObject & { spec?: { replicas?: number } }>(path('/apis/apps/v1', 'replicasets', ref.name));
      if (rs.metadata.uid !== ref.uid) return undefined;
      const owner = controllerRefOf(rs);
      if (owner && owner.kind === 'Deployment' && groupOf(owner.apiVersion) === 'apps') {
        const dep = await this.client.get<KubeObject & { spec?: { replicas?: number } }>(path('/apis/apps/v1', 'deployments', owner.name));
        if (dep.metadata.uid !== owner.uid) return undefined;
        return { uid: dep.metadata.uid!, scale: dep.spec?.replicas ?? 1 };
      }
      return { uid: rs.metadata.uid!, scale: rs.spec?.replicas ?? 1 };
    }
    const known = SCALABLE[`${group}/${ref.kind}`];
    const prefix = known?.prefix ?? `/apis/${ref.apiVersion}`;
    const resource = known?.resource ?? `${ref.kind.toLowerCase()}s`;
    const scale = await this.client.get<KubeObject & { spec?: { replicas?: number } }>(path(prefix, resource, ref.name, '/scale'));
    if (scale.metadata.uid && scale.metadata.uid !== ref.uid) return undefined;
    return { uid: ref.uid, scale: scale.spec?.replicas ?? 0 };
  }
}

function selects(pdb: PodDisruptionBudget, pod: Pod): boolean {
  try {
    return labelSelectorAsSelector(pdb.spec?.selector).matches(pod.metadata.labels ?? {});
  } catch {
    return false;
  }
}
