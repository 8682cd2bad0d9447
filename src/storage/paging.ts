// List paging shared by the backends: walk keys in order from the continue position, filter with the
// predicate, cut at `limit` and mint the next continue token. Later pages show the current state but report
// the first page's revision (kept in the token); see docs in src/storage/index.ts.
import type { KubeObject } from '../api/types.js';
import { decodeContinue, encodeContinue } from './continue_token.js';
import type { ListOptions, ListResult, RawListResult } from './interface.js';
import { decode } from './encoding.js';

export interface KeyValueRow<E = unknown> {
  key: string;
  value: string;
  /** The backend's own record of the row, if it keeps one (the ObjectIndex entry, whose bytes a raw list reuses). */
  entry?: E;
}

export interface PageSource<E = unknown> {
  /** Rows with key >= fromKey and key starting with the list prefix, ascending by key. */
  scan(fromKey: string): Iterable<KeyValueRow<E>>;
  /** Number of keys >= fromKey under the prefix (used for remainingItemCount when no predicate is set). */
  countFrom(fromKey: string): number;
}

export function listPage<E>(prefix: string, opts: ListOptions | undefined, currentRV: number, src: PageSource<E>): ListResult {
  return collectPage(prefix, opts, currentRV, src, (row, parsed) => parsed ?? decode(row.value));
}

/**
 * Same as listPage, but items stay stored JSON, as UTF-8 bytes (parsed only when a predicate must look at them);
 * `bytes` gives a row's bytes (the index keeps them across lists), by default encoded afresh.
 */
export function listPageRaw<E>(
  prefix: string,
  opts: ListOptions | undefined,
  currentRV: number,
  src: PageSource<E>,
  bytes: (row: KeyValueRow<E>) => Buffer = (row) => Buffer.from(row.value, 'utf8'),
): RawListResult {
  return collectPage(prefix, opts, currentRV, src, (row) => bytes(row));
}

function collectPage<T, E>(
  prefix: string,
  opts: ListOptions | undefined,
  currentRV: number,
  src: PageSource<E>,
  output: (row: KeyValueRow<E>, parsed: KubeObject | undefined) => T,
): { items: T[]; resourceVersion: number; continue?: string; remainingItemCount?: number } {
  let fromKey = prefix;
  let rv = currentRV;
  if (opts?.continue) {
    const pos = decodeContinue(prefix, opts.continue);
    fromKey = prefix + pos.start;
    rv = pos.rv;
  }
  const limit = opts?.limit && opts.limit > 0 ? Math.floor(opts.limit) : 0;
  const predicate = opts?.predicate;
  const items: T[] = [];
  let nextKey: string | undefined;
  for (const row of src.scan(fromKey)) {
    if (!row.key.startsWith(prefix)) break;
    let parsed: KubeObject | undefined;
    if (predicate && !predicate((parsed = decode(row.value)))) continue;
    if (limit && items.length === limit) {
      nextKey = row.key;
      break;
    }
    items.push(output(row, parsed));
  }
  const result: { items: T[]; resourceVersion: number; continue?: string; remainingItemCount?: number } = { items, resourceVersion: rv };
  if (nextKey !== undefined) {
    result.continue = encodeContinue(prefix, rv, nextKey);
    if (!predicate) result.remainingItemCount = src.countFrom(nextKey);
  }
  return result;
}
