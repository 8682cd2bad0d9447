// ControllerRevision printer (upstream printControllerRevision): NAME, CONTROLLER (kind.group/name of the
// controlling owner, or <none>), REVISION, AGE.
import type { OwnerReference } from '../../api/types.js';
import { ageColumn, column, nameColumn } from './columns.js';
import { translateTimestampSince } from './duration.js';
import { asNumber } from './format.js';
import type { Printer } from './types.js';

function controllerName(refs: OwnerReference[] | undefined): string {
  const ref = (refs ?? []).find((r) => r.controller === true);
  if (!ref) return '<none>';
  const slash = (ref.apiVersion ?? '').indexOf('/');
  const group = slash < 0 ? '' : ref.apiVersion.slice(0, slash);
  const kind = (ref.kind ?? '').toLowerCase();
  return `${group ? `${kind}.${group}` : kind}/${ref.name}`;
}

export const controllerRevisionPrinter: Printer = {
  columns: [
    nameColumn,
    column('Controller', 'string', 'Controller of the object'),
    column('Revision', 'integer', 'Revision indicates the revision of the state represented by Data.'),
    ageColumn,
  ],
  cells: (cr, now) => [
    cr.metadata.name ?? '',
    controllerName(cr.metadata.ownerReferences),
    asNumber(cr.revision),
    translateTimestampSince(cr.metadata.creationTimestamp, now),
  ],
};
