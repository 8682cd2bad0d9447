// Column-definition builders shared by every printer (the NAME and AGE columns look the same everywhere).
import type { TableColumn } from './types.js';

export function column(name: string, type: string, description: string, priority = 0, format = ''): TableColumn {
  return { name, type, format, description, priority };
}

export const nameColumn: TableColumn = column(
  'Name',
  'string',
  'Name of the object, unique within its namespace (or cluster-wide for cluster-scoped kinds).',
  0,
  'name',
);

export const ageColumn: TableColumn = column(
  'Age',
  'string',
  'Time elapsed since the server recorded the creation of the object (metadata.creationTimestamp).',
);
