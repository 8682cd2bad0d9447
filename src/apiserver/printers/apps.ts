// Printers of the replicated workloads, with upstream's columns: Deployment (NAME READY UP-TO-DATE
// AVAILABLE AGE), ReplicaSet and ReplicationController (NAME DESIRED CURRENT READY AGE); wide adds
// CONTAINERS, IMAGES and SELECTOR.
import type { KubeObject } from '../../api/types.js';
import { labelSelectorAsSelector, selectorFromSet, type LabelSelector } from '../../api/labels.js';
import { ageColumn, column, nameColumn } from './columns.js';
import { translateTimestampSince } from './duration.js';
import { asArray, asDict, asNumber, asString } from './format.js';
import type { Printer, TableColumn } from './types.js';

/** Container names and images of a pod template, comma-joined (upstream layoutContainerCells). */
export function templateContainerCells(template: unknown): [string, string] {
  const containers = asArray(asDict(asDict(template).spec).containers).map(asDict);
  return [containers.map((c) => asString(c.name)).join(','), containers.map((c) => asString(c.image)).join(',')];
}

/** A LabelSelector as upstream prints it ("app=web"); "<error>" when it cannot be one. */
export function labelSelectorCell(ls: unknown): string {
  try {
    return labelSelectorAsSelector(ls as LabelSelector | undefined).toString();
  } catch {
    return '<error>';
  }
}

export const containersColumn = column('Containers', 'string', 'Names of each container in the template.', 1);
export const imagesColumn = column('Images', 'string', 'Images referenced by each container in the template.', 1);
export const selectorColumn = column('Selector', 'string', 'Label query over the pods the object manages.', 1);

const age = (o: KubeObject, now: Date) => translateTimestampSince(o.metadata.creationTimestamp, now);

export const deploymentPrinter: Printer = {
  columns: [
    nameColumn,
    column('Ready', 'string', 'Number of the pod with ready state'),
    column('Up-to-date', 'string', 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.'),
    column('Available', 'string', 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.'),
    ageColumn,
    containersColumn,
    imagesColumn,
    selectorColumn,
  ],
  cells(d, now) {
    const spec = asDict(d.spec);
    const status = asDict(d.status);
    const [names, images] = templateContainerCells(spec.template);
    return [
      asString(d.metadata.name),
      `${asNumber(status.readyReplicas)}/${asNumber(spec.replicas)}`,
      asNumber(status.updatedReplicas),
      asNumber(status.availableReplicas),
      age(d, now),
      names,
      images,
      labelSelectorCell(spec.selector),
    ];
  },
};

function replicasPrinter(what: string, selector: (spec: Record<string, unknown>) => string): Printer {
  const columns: TableColumn[] = [
    nameColumn,
    column('Desired', 'integer', `Number of desired pods. This is a pointer to distinguish between explicit zero and unspecified.`),
    column('Current', 'integer', `Most recently observed number of replicas of the ${what}.`),
    column('Ready', 'integer', `The number of ready replicas of the ${what}.`),
    ageColumn,
    containersColumn,
    imagesColumn,
    selectorColumn,
  ];
  return {
    columns,
    cells(o, now) {
      const spec = asDict(o.spec);
      const status = asDict(o.status);
      const [names, images] = templateContainerCells(spec.template);
      return [
        asString(o.metadata.name),
        asNumber(spec.replicas),
        asNumber(status.replicas),
        asNumber(status.readyReplicas),
        age(o, now),
        names,
        images,
        selector(spec),
      ];
    },
  };
}

export const replicaSetPrinter = replicasPrinter('replica set', (spec) => labelSelectorCell(spec.selector));
export const replicationControllerPrinter = replicasPrinter('replication controller', (spec) =>
  selectorFromSet(asDict(spec.selector) as Record<string, string>).toString(),
);
