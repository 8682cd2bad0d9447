// List paging shared by the backends: take a snapshot of the keys under the prefix from the continue position
// (one synchronous step that copies references, so the list is consistent at the revision it reports), then walk
// it — filtering with the predicate, cutting at `limit` — in slices of a few milliseconds with the event loop
// free in between, so a list of 150,000 objects (a label selector parses every one) never holds writes up for
// seconds. A later page shows the state at the first page's revision, as etcd's revisioned reads do: the writes
// since then under the prefix are undone from the watch history; once the history no longer reaches back that
// far, the token is 410 Expired (etcd: compacted). remainingItemCount comes from the snapshot's size, not a count
// of rows. See docs in src/storage/index.ts.
import type { KubeObject } from '../api/types.js';
import { decode } from './encoding.js';
import { decodeContinue, encodeContinue } from './continue_token.js';
import { StorageError, type ListOptions, type ListResult, type RawListResult } from './interface.js';

export interface KeyValueRow {
  readonly key: string;
  /** The object JSON. */
  readonly value: string;
  /** `value` as UTF-8, once someone made it (see rowBytes). */
  bytes?: Buffer;
}

/** A committed write, as the history keeps it (enough to undo it). */
export interface PastWrite {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  key: string;
  /** The value before the write (MODIFIED/DELETED). */
  prevValue?: string;
}

export interface PageSource {
  /**
   * The rows under the list prefix with key >= fromKey, ascending by key, as of this call (later writes do not
   * change them), at most `max` of them; `total` is how many there are in all.
   */
  snapshot(fromKey: string, max: number): { rows: readonly KeyValueRow[]; total: number };
  /**
   * The writes after revision `rv` to keys under the prefix >= fromKey, oldest first, as of the same moment as
   * snapshot(); undefined when the history no longer reaches back to `rv`.
   */
  writesSince(rv: number, fromKey: string): readonly PastWrite[] | undefined;
}

/** The row's JSON as UTF-8, kept on the row for later lists (rows are replaced, never changed, on writes). */
export function rowBytes(row: KeyValueRow): Buffer {
  return (row.bytes ??= Buffer.from(row.value, 'utf8'));
}

/** How long a list walks its snapshot before it lets other work run. */
const SLICE_MS = 8;

export const CONTINUE_EXPIRED =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.';

export function listPage(prefix: string, opts: ListOptions | undefined, currentRV: number, src: PageSource): Promise<ListResult> {
  return collectPage(prefix, opts, currentRV, src, (row, parsed) => parsed ?? decode(row.value));
}

/** Same as listPage, but items stay stored JSON, as UTF-8 bytes (parsed only when a predicate must look at them). */
export function listPageRaw(prefix: string, opts: ListOptions | undefined, currentRV: number, src: PageSource): Promise<RawListResult> {
  return collectPage(prefix, opts, currentRV, src, (row) => rowBytes(row));
}

const yieldToIO = () => new Promise<void>((resolve) => setImmediate(resolve));

/** What a key held at the page's revision, for keys written since: its value then (null: absent), and whether it exists now. */
interface Undo {
  atRV: string | null;
  existsNow: boolean;
}

/** The keys written since `rv`: what each held at `rv`, from the oldest write after it. */
function undoWrites(writes: readonly PastWrite[]): Map<string, Undo> {
  const undo = new Map<string, Undo>();
  for (const w of writes) {
    const u = undo.get(w.key);
    if (u) u.existsNow = w.type !== 'DELETED';
    else undo.set(w.key, { atRV: w.type === 'ADDED' ? null : (w.prevValue ?? null), existsNow: w.type !== 'DELETED' });
  }
  return undo;
}

/**
 * The rows at the page's revision, in key order (the first `max` of them): the snapshot's rows with the keys
 * written since replaced by what they held then (merged in order), and how many there were in all.
 */
function rowsAtRevision(rows: readonly KeyValueRow[], total: number, undo: Map<string, Undo>, max: number): { rows: KeyValueRow[]; total: number } {
  const then: KeyValueRow[] = [];
  for (const [key, u] of undo) {
    if (u.existsNow) total--;
    if (u.atRV !== null) {
      total++;
      then.push({ key, value: u.atRV });
    }
  }
  then.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const out: KeyValueRow[] = [];
  let j = 0;
  for (const row of rows) {
    if (out.length >= max) return { rows: out, total };
    if (undo.has(row.key)) continue;
    while (j < then.length && then[j]!.key < row.key) out.push(then[j++]!);
    out.push(row);
  }
  while (j < then.length && out.length < max) out.push(then[j++]!);
  return { rows: out, total };
}

/** Synchronous up to the snapshot (callers pass the revision of the same moment); the walk may yield. */
async function collectPage<T>(
  prefix: string,
  opts: ListOptions | undefined,
  currentRV: number,
  src: PageSource,
  output: (row: KeyValueRow, parsed: KubeObject | undefined) => T,
): Promise<{ items: T[]; resourceVersion: number; continue?: string; remainingItemCount?: number }> {
  let fromKey = prefix;
  let rv = currentRV;
  if (opts?.continue) {
    const pos = decodeContinue(prefix, opts.continue);
    fromKey = prefix + pos.start;
    rv = pos.rv;
  }
  const limit = opts?.limit && opts.limit > 0 ? Math.floor(opts.limit) : 0;
  const predicate = opts?.predicate;
  let undo: Map<string, Undo> | undefined;
  if (rv < currentRV) {
    const writes = src.writesSince(rv, fromKey);
    if (!writes) throw new StorageError('Expired', prefix, CONTINUE_EXPIRED);
    if (writes.length) undo = undoWrites(writes);
  }
  // without a predicate a page needs `limit` rows and one more (the next page's first key)
  const need = limit && !predicate ? limit + 1 : Infinity;
  let { rows, total } = src.snapshot(fromKey, undo ? Infinity : need);
  if (undo) ({ rows, total } = rowsAtRevision(rows, total, undo, need));
  const items: T[] = [];
  let next = -1;
  let sliceStart = performance.now();
  for (let i = 0; i < rows.length; i++) {
    if ((i & 127) === 127 && performance.now() - sliceStart > SLICE_MS) {
      await yieldToIO();
      sliceStart = performance.now();
    }
    const row = rows[i]!;
    let parsed: KubeObject | undefined;
    if (predicate && !predicate((parsed = decode(row.value)))) continue;
    if (limit && items.length === limit) {
      next = i;
      break;
    }
    items.push(output(row, parsed));
  }
  const result: { items: T[]; resourceVersion: number; continue?: string; remainingItemCount?: number } = { items, resourceVersion: rv };
  if (next >= 0) {
    result.continue = encodeContinue(prefix, rv, rows[next]!.key);
    // upstream leaves it out when a selector filters the list: the count would be of unfiltered keys
    if (!predicate) result.remainingItemCount = total - next;
  }
  return result;
}
