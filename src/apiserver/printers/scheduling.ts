// PriorityClass printer (scheduling.k8s.io/v1): NAME, VALUE, GLOBAL-DEFAULT, AGE, PREEMPTIONPOLICY.
import { ageColumn, column, nameColumn } from './columns.js';
import { translateTimestampSince } from './duration.js';
import { asString } from './format.js';
import type { Printer } from './types.js';

export const priorityClassPrinter: Printer = {
  columns: [
    nameColumn,
    column('Value', 'integer', 'value represents the integer value of this priority class.'),
    column('Global-Default', 'boolean', 'globalDefault specifies whether this PriorityClass should be considered as the default priority.'),
    ageColumn,
    column('PreemptionPolicy', 'string', 'preemptionPolicy is the Policy for preempting pods with lower priority.'),
  ],
  cells: (pc, now) => [
    asString(pc.metadata.name),
    typeof pc.value === 'number' ? pc.value : 0,
    pc.globalDefault === true,
    translateTimestampSince(pc.metadata.creationTimestamp, now),
    asString(pc.preemptionPolicy),
  ],
};
