// Which printer serves which group/resource; anything not listed gets the default NAME / CREATED AT table.
import { horizontalPodAutoscalerPrinter } from './autoscaling.js';
import { cronJobPrinter, jobPrinter } from './batch.js';
import { controllerRevisionPrinter } from './controller_revision.js';
import { daemonSetPrinter } from './daemon_set.js';
import { statefulSetPrinter } from './stateful_set.js';
import { configMapPrinter, namespacePrinter, secretPrinter, serviceAccountPrinter, servicePrinter } from './core.js';
import { deploymentPrinter, replicaSetPrinter, replicationControllerPrinter } from './apps.js';
import { defaultPrinter } from './default.js';
import { endpointSlicePrinter, endpointsPrinter } from './endpoints.js';
import { eventPrinter } from './event.js';
import { leasePrinter } from './lease.js';
import { nodePrinter } from './node.js';
import { podPrinter } from './pod.js';
import { podDisruptionBudgetPrinter } from './policy.js';
import { clusterRoleBindingPrinter, roleBindingPrinter } from './rbac.js';
import { priorityClassPrinter } from './scheduling.js';
import { certificateSigningRequestPrinter } from './certificates.js';
import type { Printer } from './types.js';

const printers = new Map<string, Printer>([
  ['/pods', podPrinter],
  ['/nodes', nodePrinter],
  ['/namespaces', namespacePrinter],
  ['/configmaps', configMapPrinter],
  ['/secrets', secretPrinter],
  ['/serviceaccounts', serviceAccountPrinter],
  ['/services', servicePrinter],
  ['/endpoints', endpointsPrinter],
  ['discovery.k8s.io/endpointslices', endpointSlicePrinter],
  ['/events', eventPrinter],
  ['events.k8s.io/events', eventPrinter],
  ['coordination.k8s.io/leases', leasePrinter],
  ['rbac.authorization.k8s.io/rolebindings', roleBindingPrinter],
  ['rbac.authorization.k8s.io/clusterrolebindings', clusterRoleBindingPrinter],
  ['/replicationcontrollers', replicationControllerPrinter],
  ['apps/deployments', deploymentPrinter],
  ['apps/replicasets', replicaSetPrinter],
  ['autoscaling/horizontalpodautoscalers', horizontalPodAutoscalerPrinter],
  ['batch/jobs', jobPrinter],
  ['batch/cronjobs', cronJobPrinter],
  ['apps/statefulsets', statefulSetPrinter],
  ['apps/daemonsets', daemonSetPrinter],
  ['apps/controllerrevisions', controllerRevisionPrinter],
  ['policy/poddisruptionbudgets', podDisruptionBudgetPrinter],
  ['scheduling.k8s.io/priorityclasses', priorityClassPrinter],
  ['certificates.k8s.io/certificatesigningrequests', certificateSigningRequestPrinter],
]);

/** Printer for a resource; `group` is "" for the core group, `resource` the lower-case plural. */
export function printerFor(group: string, resource: string): Printer {
  return printers.get(`${group}/${resource}`) ?? defaultPrinter;
}

/** Registers (or replaces) the printer of a resource, e.g. for kinds added later. */
export function registerPrinter(group: string, resource: string, printer: Printer): void {
  printers.set(`${group}/${resource}`, printer);
}
