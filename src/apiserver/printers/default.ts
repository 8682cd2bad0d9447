// The printer for kinds without their own (upstream's default table convertor): NAME and
// CREATED AT, the creation time as an RFC3339 UTC string in a "date"-typed column.
import { column, nameColumn } from './columns.js';
import { parseTime } from './duration.js';
import { asString } from './format.js';
import type { Printer } from './types.js';

/** RFC3339 in UTC with whole seconds, like Go's time.RFC3339 (zero time for an unset timestamp). */
export function rfc3339(ts: unknown): string {
  const t = parseTime(ts);
  if (t === undefined) return '0001-01-01T00:00:00Z';
  return new Date(Math.floor(t / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export const defaultPrinter: Printer = {
  columns: [nameColumn, column('Created At', 'date', 'Time the server recorded the creation of the object (metadata.creationTimestamp).')],
  cells: (obj) => [asString(obj.metadata.name), rfc3339(obj.metadata.creationTimestamp)],
};
