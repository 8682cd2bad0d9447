// Builds the meta.k8s.io/v1 Table sent to `kubectl get`: column definitions (unless noHeaders), one row per
// object, and each row's object as PartialObjectMetadata, the full object, or nothing (includeObject).
import type { KubeObject } from '../../api/types.js';
import type { BuildTableOptions, PartialObjectMetadata, Printer, Table, TableRow } from './types.js';

export function partialObjectMetadata(obj: KubeObject): PartialObjectMetadata {
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata };
}

export function buildTable(printer: Printer, objs: KubeObject[], opts: BuildTableOptions): Table {
  const now = opts.now ?? new Date();
  const rows: TableRow[] = objs.map((obj) => {
    const row: TableRow = { cells: printer.cells(obj, now) };
    const conditions = printer.rowConditions?.(obj);
    if (conditions && conditions.length > 0) row.conditions = conditions;
    if (opts.includeObject === 'Object') row.object = obj;
    else if (opts.includeObject === 'Metadata') row.object = partialObjectMetadata(obj);
    return row;
  });
  const metadata: Table['metadata'] = {};
  const lm = opts.listMeta;
  if (lm?.resourceVersion) metadata.resourceVersion = lm.resourceVersion;
  if (lm?.continue) metadata.continue = lm.continue;
  if (lm?.remainingItemCount !== undefined) metadata.remainingItemCount = lm.remainingItemCount;
  const table = { kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata } as Table;
  if (!opts.noHeaders) table.columnDefinitions = printer.columns.map((c) => ({ ...c }));
  table.rows = rows;
  return table;
}
