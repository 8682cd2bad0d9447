// List paging shared by the backends: walk keys in order from the continue position, filter with the
// predicate, cut at `limit` and mint the next continue token. Later pages show the current state but report
// the first page's revision (kept in the token); see docs in src/storage/index.ts.
import type { KubeObject } from '../api/types.js';
import { decodeContinue, encodeContinue } from './continue_token.js';
import type { ListOptions, ListResult, RawListResult } from './interface.js';
import { decode } from './encoding.js';

export interface KeyValueRow {
  key: string;
  value: string;
}

export interface PageSource {
  /** Rows with key >= fromKey and key starting with the list prefix, ascending by key. */
  scan(fromKey: string): Iterable<KeyValueRow>;
  /** Number of keys >= fromKey under the prefix (used for remainingItemCount when no predicate is set). */
  countFrom(fromKey: string): number;
}

export function listPage(prefix: string, opts: ListOptions | undefined, currentRV: number, src: PageSource): ListResult {
  return collectPage(prefix, opts, currentRV, src, (v, parsed) => parsed ?? decode(v));
}

/** Same as listPage, but items stay as stored JSON text (parsed only when a predicate must look at them). */
export function listPageRaw(prefix: string, opts: ListOptions | undefined, currentRV: number, src: PageSource): RawListResult {
  return collectPage(prefix, opts, currentRV, src, (v) => v);
}

function collectPage<T>(
  prefix: string,
  opts: ListOptions | undefined,
  currentRV: number,
  src: PageSource,
  output: (value: string, parsed: KubeObject | undefined) => T,
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
    items.push(output(row.value, parsed));
  }
  const result: { items: T[]; resourceVersion: number; continue?: string; remainingItemCount?: number } = { items, resourceVersion: rv };
  if (nextKey !== undefined) {
    result.continue = encodeContinue(prefix, rv, nextKey);
    if (!predicate) result.remainingItemCount = src.countFrom(nextKey);
  }
  return result;
}
