// DaemonSet printer (upstream printDaemonSet): NAME, DESIRED, CURRENT, READY, UP-TO-DATE, AVAILABLE,
// NODE SELECTOR, AGE; wide adds CONTAINERS, IMAGES, SELECTOR.
import { ageColumn, column, nameColumn } from './columns.js';
import { translateTimestampSince } from './duration.js';
import { asDict, asNumber, formatLabels } from './format.js';
import type { Printer } from './types.js';
import { containersColumn, formatLabelSelector, imagesColumn, selectorColumn, templateContainerCells } from './workload_columns.js';

export const daemonSetPrinter: Printer = {
  columns: [
    nameColumn,
    column('Desired', 'integer', 'The total number of nodes that should be running the daemon pod (including nodes correctly running the daemon pod).'),
    column('Current', 'integer', 'The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod.'),
    column('Ready', 'integer', 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and ready.'),
    column('Up-to-date', 'integer', 'The total number of nodes that are running updated daemon pod'),
    column(
      'Available',
      'integer',
      'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds)',
    ),
    column('Node Selector', 'string', 'NodeSelector is a selector which must be true for the pod to fit on a node.'),
    ageColumn,
    containersColumn,
    imagesColumn,
    selectorColumn,
  ],
  cells(ds, now) {
    const spec = asDict(ds.spec);
    const status = asDict(ds.status);
    const template = asDict(spec.template);
    return [
      ds.metadata.name ?? '',
      asNumber(status.desiredNumberScheduled),
      asNumber(status.currentNumberScheduled),
      asNumber(status.numberReady),
      asNumber(status.updatedNumberScheduled),
      asNumber(status.numberAvailable),
      formatLabels(asDict(template.spec).nodeSelector),
      translateTimestampSince(ds.metadata.creationTimestamp, now),
      ...templateContainerCells(template),
      formatLabelSelector(spec.selector),
    ];
  },
};
