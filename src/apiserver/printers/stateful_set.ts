// StatefulSet printer (upstream printStatefulSet): NAME, READY (ready/desired), AGE; wide adds CONTAINERS, IMAGES.
import { ageColumn, column, nameColumn } from './columns.js';
import { translateTimestampSince } from './duration.js';
import { asDict, asNumber } from './format.js';
import type { Printer } from './types.js';
import { containersColumn, imagesColumn, templateContainerCells } from './workload_columns.js';

export const statefulSetPrinter: Printer = {
  columns: [nameColumn, column('Ready', 'string', 'Number of the pod with ready state'), ageColumn, containersColumn, imagesColumn],
  cells(sts, now) {
    const spec = asDict(sts.spec);
    const status = asDict(sts.status);
    const desired = asNumber(spec.replicas, 1);
    return [
      sts.metadata.name ?? '',
      `${asNumber(status.readyReplicas)}/${desired}`,
      translateTimestampSince(sts.metadata.creationTimestamp, now),
      ...templateContainerCells(spec.template),
    ];
  },
};
