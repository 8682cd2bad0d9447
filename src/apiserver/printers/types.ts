// Shapes of server-side printing: column definitions, printers, and the meta.k8s.io/v1 Table object
// returned to `kubectl get` (Accept: application/json;as=Table;v=v1;g=meta.k8s.io).
import type { KubeObject, ListMeta, ObjectMeta } from '../../api/types.js';

export interface TableColumn {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

/** metav1.TableRowCondition (upstream only sets type "Completed" for finished pods). */
export interface TableRowCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
}

export interface Printer {
  columns: TableColumn[];
  /** One cell per column, in column order (priority-1 columns included: the server always sends wide). */
  cells(obj: KubeObject, now: Date): unknown[];
  /** Optional row conditions (additive to the brief's contract; used by pods). */
  rowConditions?(obj: KubeObject): TableRowCondition[] | undefined;
}

export interface PartialObjectMetadata {
  kind: 'PartialObjectMetadata';
  apiVersion: 'meta.k8s.io/v1';
  metadata: ObjectMeta;
}

export interface TableRow {
  cells: unknown[];
  conditions?: TableRowCondition[];
  object?: KubeObject | PartialObjectMetadata;
}

export interface Table {
  kind: 'Table';
  apiVersion: 'meta.k8s.io/v1';
  metadata: ListMeta;
  columnDefinitions?: TableColumn[];
  rows: TableRow[];
}

export type IncludeObject = 'None' | 'Object' | 'Metadata';

export interface BuildTableOptions {
  includeObject: IncludeObject;
  noHeaders?: boolean;
  listMeta?: ListMeta;
  now?: Date;
}
