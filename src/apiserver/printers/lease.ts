// Lease printer (coordination.k8s.io/v1): NAME, HOLDER, AGE.
import { ageColumn, column, nameColumn } from './columns.js';
import { translateTimestampSince } from './duration.js';
import { asDict, asString } from './format.js';
import type { Printer } from './types.js';

export const leasePrinter: Printer = {
  columns: [nameColumn, column('Holder', 'string', 'Identity of the current holder of the lease.'), ageColumn],
  cells: (lease, now) => [
    asString(lease.metadata.name),
    asString(asDict(lease.spec).holderIdentity),
    translateTimestampSince(lease.metadata.creationTimestamp, now),
  ],
};
