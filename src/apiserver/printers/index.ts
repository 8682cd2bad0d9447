// Server-side printing (Table output for `kubectl get`): the public surface of src/apiserver/printers.
export type { BuildTableOptions, IncludeObject, PartialObjectMetadata, Printer, Table, TableColumn, TableRow, TableRowCondition } from './types.js';
export { buildTable, partialObjectMetadata } from './table.js';
export { printerFor, registerPrinter } from './registry.js';
export { humanDuration, shortHumanDuration, translateTimestampSince } from './duration.js';
export { defaultPrinter } from './default.js';
export { podPrinter, summarizePod } from './pod.js';
