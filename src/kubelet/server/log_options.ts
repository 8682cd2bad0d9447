// The query of a node's /containerLogs request (PodLogOptions on the wire) turned into the options the
// log reader uses: since as an absolute time, tail, byte limit, stream selection.
import { dateToNs, parseRFC3339 } from './crilog.js';

export type LogStreamSelector = 'All' | 'Stdout' | 'Stderr';

export interface ContainerLogOptions {
  follow: boolean;
  previous: boolean;
  timestamps: boolean;
  /** Last N lines of the file; undefined = all. */
  tailLines?: number;
  /** Skip records older than this (ns since epoch). */
  sinceNs?: bigint;
  /** Stop after this many bytes of output. */
  limitBytes?: number;
  stream: LogStreamSelector;
}

export class LogOptionsError extends Error {}

/** Query booleans as the API machinery converts them: present and not "false"/"0" means true. */
export function queryBool(q: URLSearchParams, name: string): boolean {
  const v = q.get(name);
  if (v === null) return false;
  const l = v.toLowerCase();
  return l !== 'false' && l !== '0';
}

function queryInt(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  if (!/^[+-]?\d+$/.test(v)) throw new LogOptionsError(`${name}: invalid value ${JSON.stringify(v)}: must be an integer`);
  return Number(v);
}

export function parseContainerLogQuery(q: URLSearchParams, now: Date = new Date()): ContainerLogOptions {
  const opts: ContainerLogOptions = {
    follow: queryBool(q, 'follow'),
    previous: queryBool(q, 'previous'),
    timestamps: queryBool(q, 'timestamps'),
    stream: 'All',
  };
  const tail = queryInt(q, 'tailLines');
  if (tail !== undefined) {
    if (tail < 0) throw new LogOptionsError('tailLines: must be greater than or equal to 0');
    opts.tailLines = tail;
  }
  const limit = queryInt(q, 'limitBytes');
  if (limit !== undefined) {
    if (limit < 1) throw new LogOptionsError('limitBytes: must be greater than 0');
    opts.limitBytes = limit;
  }
  const sinceSeconds = queryInt(q, 'sinceSeconds');
  const sinceTime = q.get('sinceTime');
  if (sinceSeconds !== undefined && sinceTime) throw new LogOptionsError('at most one of `sinceTime` or `sinceSeconds` may be specified');
  if (sinceSeconds !== undefined) {
    if (sinceSeconds < 1) throw new LogOptionsError('sinceSeconds: must be greater than 0');
    opts.sinceNs = dateToNs(now.getTime() - sinceSeconds * 1000);
  } else if (sinceTime) {
    const t = parseRFC3339(sinceTime);
    if (!t) throw new LogOptionsError(`sinceTime: invalid value ${JSON.stringify(sinceTime)}: must be an RFC3339 time`);
    opts.sinceNs = t.ns;
  }
  const stream = q.get('stream');
  if (stream !== null && stream !== '') {
    if (stream !== 'All' && stream !== 'Stdout' && stream !== 'Stderr')
      throw new LogOptionsError(`stream: Unsupported value: "${stream}": supported values: "All", "Stdout", "Stderr"`);
    opts.stream = stream;
  }
  return opts;
}
