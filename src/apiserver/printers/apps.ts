// Printers for apps/v1 workloads: Deployment, ReplicaSet, DaemonSet, StatefulSet.
import type { KubeObject } from '../../api/types.js';
import { ageColumn, column, containersColumn, imagesColumn, nameColumn } from './columns.js';
import { translateTimestampSince } from './duration.js';
import { asDict, asNumber, asString, formatLabelSelector, formatLabels, labelSelectorString, layoutContainerCells, templateContainers } from './format.js';
import type { Printer } from './types.js';

function age(obj: KubeObject, now: Date): string {
  return translateTimestampSince(obj.metadata.creationTimestamp, now);
}

/** spec.replicas; an unset value is what API defaulting would make it (1). */
function desiredReplicas(spec: Record<string, unknown>): number {
  return asNumber(spec.replicas, 1);
}

const selectorColumn = (what: string) => column('Selector', 'string', `Label selector for the pods of the ${what}.`, 1);

export const deploymentPrinter: Printer = {
  columns: [
    nameColumn,
    column('Ready', 'string', 'Ready pods out of desired replicas.'),
    column('Up-to-date', 'string', 'Pods running the latest pod template.'),
    column('Available', 'string', 'Pods available to serve (ready for at least minReadySeconds).'),
    ageColumn,
    containersColumn,
    imagesColumn,
    selectorColumn('deployment'),
  ],
  cells(d, now) {
    const spec = asDict(d.spec);
    const status = asDict(d.status);
    const [names, images] = layoutContainerCells(templateContainers(spec));
    const selector = labelSelectorString(spec.selector);
    return [
      asString(d.metadata.name),
      `${asNumber(status.readyReplicas)}/${desiredReplicas(spec)}`,
      asNumber(status.updatedReplicas),
      asNumber(status.availableReplicas),
      age(d, now),
      names,
      images,
      selector === undefined ? '<invalid>' : selector,
    ];
  },
};

export const replicaSetPrinter: Printer = {
  columns: [
    nameColumn,
    column('Desired', 'integer', 'Number of replicas the replica set wants.'),
    column('Current', 'integer', 'Number of replicas currently created.'),
    column('Ready', 'integer', 'Number of replicas that are ready.'),
    ageColumn,
    containersColumn,
    imagesColumn,
    selectorColumn('replica set'),
  ],
  cells(rs, now) {
    const spec = asDict(rs.spec);
    const status = asDict(rs.status);
    const [names, images] = layoutContainerCells(templateContainers(spec));
    return [
      asString(rs.metadata.name),
      desiredReplicas(spec),
      asNumber(status.replicas),
      asNumber(status.readyReplicas),
      age(rs, now),
      names,
      images,
      formatLabelSelector(spec.selector),
    ];
  },
};

export const daemonSetPrinter: Printer = {
  columns: [
    nameColumn,
    column('Desired', 'integer', 'Number of nodes that should run the daemon pod.'),
    column('Current', 'integer', 'Number of nodes running at least one daemon pod.'),
    column('Ready', 'integer', 'Number of nodes whose daemon pod is ready.'),
    column('Up-to-date', 'integer', 'Number of nodes running the latest daemon pod template.'),
    column('Available', 'integer', 'Number of nodes whose daemon pod is available.'),
    column('Node Selector', 'string', 'Node selector of the pod template.'),
    ageColumn,
    containersColumn,
    imagesColumn,
    selectorColumn('daemon set'),
  ],
  cells(ds, now) {
    const spec = asDict(ds.spec);
    const status = asDict(ds.status);
    const [names, images] = layoutContainerCells(templateContainers(spec));
    return [
      asString(ds.metadata.name),
      asNumber(status.desiredNumberScheduled),
      asNumber(status.currentNumberScheduled),
      asNumber(status.numberReady),
      asNumber(status.updatedNumberScheduled),
      asNumber(status.numberAvailable),
      formatLabels(asDict(asDict(spec.template).spec).nodeSelector),
      age(ds, now),
      names,
      images,
      formatLabelSelector(spec.selector),
    ];
  },
};

export const statefulSetPrinter: Printer = {
  columns: [nameColumn, column('Ready', 'string', 'Ready pods out of desired replicas.'), ageColumn, containersColumn, imagesColumn],
  cells(sts, now) {
    const spec = asDict(sts.spec);
    const status = asDict(sts.status);
    const [names, images] = layoutContainerCells(templateContainers(spec));
    return [asString(sts.metadata.name), `${asNumber(status.readyReplicas)}/${desiredReplicas(spec)}`, age(sts, now), names, images];
  },
};
