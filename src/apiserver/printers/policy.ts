// PodDisruptionBudget printer (upstream printPodDisruptionBudget): NAME, MIN AVAILABLE, MAX UNAVAILABLE,
// ALLOWED DISRUPTIONS, AGE; an unset bound prints N/A.
import type { PodDisruptionBudget } from '../../api/policy/v1/types.js';
import { ageColumn, column, nameColumn } from './columns.js';
import { translateTimestampSince } from './duration.js';
import type { Printer } from './types.js';

const bound = (v: number | string | undefined | null) => (v === undefined || v === null ? 'N/A' : String(v));

export const podDisruptionBudgetPrinter: Printer = {
  columns: [
    nameColumn,
    column(
      'Min Available',
      'string',
      'The minimum number of pods that must be available simultaneously.  This can be either an integer or a string specifying a percentage, e.g. "28%".',
    ),
    column(
      'Max Unavailable',
      'string',
      'The maximum number of pods that may be unavailable simultaneously.  This can be either an integer or a string specifying a percentage, e.g. "28%".',
    ),
    column('Allowed Disruptions', 'integer', 'Calculated number of pods that may be disrupted at this time.'),
    ageColumn,
  ],
  cells: (obj, now) => {
    const pdb = obj as PodDisruptionBudget;
    return [
      pdb.metadata.name ?? '',
      bound(pdb.spec?.minAvailable),
      bound(pdb.spec?.maxUnavailable),
      pdb.status?.disruptionsAllowed ?? 0,
      translateTimestampSince(pdb.metadata.creationTimestamp, now),
    ];
  },
};
