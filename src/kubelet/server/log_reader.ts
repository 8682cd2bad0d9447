// Reads a container's CRI log file as `kubectl logs` shows it (upstream kubelet's ReadLogs): tail from the
// last N file lines, since, stream selection, partial records joined, optional timestamps, a byte limit,
// and follow mode that streams appended records until the container stops.
import { open, type FileHandle } from 'node:fs/promises';
import { watch, type FSWatcher } from 'node:fs';
import { parseCRILine, type CRILogRecord } from './crilog.js';
import type { ContainerLogOptions } from './log_options.js';

const BLOCK = 64 * 1024;
const NL = 0x0a;

/** Byte offset where the last `n` lines of the file start (a final '\n' ends the last line). */
export async function findTailStart(fh: FileHandle, size: number, n: number | undefined): Promise<number> {
  if (n === undefined || size === 0) return 0;
  if (n === 0) return size;
  const buf = Buffer.allocUnsafe(BLOCK);
  let end = size;
  const last = Buffer.alloc(1);
  await fh.read(last, 0, 1, size - 1);
  if (last[0] === NL) end = size - 1;
  let count = 0;
  let pos = end;
  while (pos > 0) {
    const len = Math.min(BLOCK, pos);
    pos -= len;
    const { bytesRead } = await fh.read(buf, 0, len, pos);
    for (let i = bytesRead - 1; i >= 0; i--) {
      if (buf[i] === NL && ++count === n) return pos + i + 1;
    }
  }
  return 0;
}

/** Turns records into output bytes: timestamps at line starts, since/stream filters, byte limit. */
export class LogFormatter {
  private atLineStart = { stdout: true, stderr: true };
  private remaining: number | undefined;

  constructor(private readonly opts: ContainerLogOptions) {
    this.remaining = opts.limitBytes;
  }

  /** True once limitBytes has been written; nothing more will be produced. */
  get exhausted(): boolean {
    return this.remaining !== undefined && this.remaining <= 0;
  }

  /** Append the output for one record to `out`. */
  add(rec: CRILogRecord, out: Buffer[]): void {
    if (this.exhausted) return;
    const o = this.opts;
    if (o.stream === 'Stdout' && rec.stream !== 'stdout') return;
    if (o.stream === 'Stderr' && rec.stream !== 'stderr') return;
    if (o.sinceNs !== undefined && rec.timeNs < o.sinceNs) return;
    const parts: Buffer[] = [];
    if (o.timestamps && this.atLineStart[rec.stream]) parts.push(Buffer.from(`${rec.time} `, 'latin1'));
    parts.push(rec.content);
    if (!rec.partial) parts.push(Buffer.from('\n'));
    this.atLineStart[rec.stream] = !rec.partial;
    let b = parts.length === 1 ? parts[0] : Buffer.concat(parts);
    if (this.remaining !== undefined) {
      if (b.length > this.remaining) b = b.subarray(0, this.remaining);
      this.remaining -= b.length;
    }
    if (b.length) out.push(b);
  }
}

export interface ReadLogControl {
  /** Ends the read (e.g. the client went away). */
  signal?: AbortSignal;
  /** In follow mode: whether the container still runs; the stream ends once it does not. */
  isRunning?: () => boolean | Promise<boolean>;
  /** Follow mode: fallback poll interval for new data (file watch events usually come first). */
  pollMs?: number;
  /** Follow mode: how often isRunning is asked. */
  runningCheckMs?: number;
}

/**
 * Write the log at `path` to `write` per `opts`. Resolves when done: at EOF, or in follow mode when the
 * container has stopped and the file is drained, the byte limit is reached, or the signal aborts.
 */
export async function readContainerLog(
  path: string,
  opts: ContainerLogOptions,
  write: (chunk: Buffer) => Promise<void> | void,
  ctl: ReadLogControl = {},
): Promise<void> {
  const fmt = new LogFormatter(opts);
  const pollMs = ctl.pollMs ?? 250;
  const runningCheckMs = ctl.runningCheckMs ?? 1000;
  const aborted = () => ctl.signal?.aborted === true;

  let fh: FileHandle | undefined;
  let watcher: FSWatcher | undefined;
  let wake: (() => void) | undefined;
  const onWake = () => wake?.();
  ctl.signal?.addEventListener('abort', onWake);
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(done, ms);
      function done() {
        clearTimeout(t);
        wake = undefined;
        resolve();
      }
      wake = done;
    });
  let lastRunningCheck = 0; // ask at the first end of file, then every runningCheckMs
  const stillRunning = async (): Promise<boolean> => {
    if (!ctl.isRunning) return false;
    lastRunningCheck = Date.now();
    return await ctl.isRunning();
  };

  try {
    // The file may not exist yet (container created, nothing written): wait for it when following.
    for (;;) {
      try {
        fh = await open(path, 'r');
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
        if (!opts.follow || aborted() || !(await stillRunning())) return;
        await sleep(pollMs);
      }
    }
    const size = (await fh.stat()).size;
    let pos = await findTailStart(fh, size, opts.tailLines);
    if (opts.follow) {
      try {
        watcher = watch(path, { persistent: false }, onWake);
        watcher.on('error', () => undefined);
      } catch {
        watcher = undefined; // polling only
      }
    }
    const buf = Buffer.allocUnsafe(BLOCK);
    let carry: Buffer = Buffer.alloc(0);
    let stopping = false;
    const emit = async (lines: Buffer[]) => {
      const out: Buffer[] = [];
      for (const l of lines) {
        const rec = parseCRILine(l);
        if (rec) fmt.add(rec, out);
      }
      // Always a copy: record contents are views into the reused read buffer.
      if (out.length) await write(Buffer.concat(out));
    };

    for (;;) {
      if (aborted()) return;
      const { bytesRead } = await fh.read(buf, 0, BLOCK, pos);
      if (bytesRead > 0) {
        pos += bytesRead;
        const data = carry.length ? Buffer.concat([carry, buf.subarray(0, bytesRead)]) : buf.subarray(0, bytesRead);
        const lines: Buffer[] = [];
        let start = 0;
        let i: number;
        while ((i = data.indexOf(NL, start)) >= 0) {
          lines.push(data.subarray(start, i));
          start = i + 1;
        }
        carry = Buffer.from(data.subarray(start)); // copy: `buf` is reused
        await emit(lines);
        if (fmt.exhausted) return;
        continue;
      }
      // End of file.
      if (!opts.follow || stopping) {
        if (carry.length) await emit([carry]);
        return;
      }
      if (Date.now() - lastRunningCheck >= runningCheckMs && !(await stillRunning())) {
        stopping = true; // read once more to pick up what was written before the exit
        continue;
      }
      await sleep(Math.min(pollMs, runningCheckMs));
    }
  } finally {
    ctl.signal?.removeEventListener('abort', onWake);
    watcher?.close();
    await fh?.close();
  }
}
