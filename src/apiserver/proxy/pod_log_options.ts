// PodLogOptions from a pods/log query: decoding, upstream's validation (422 PodLogOptions invalid), and
// the query the node's /containerLogs endpoint receives.
import { badRequest, fieldErr, invalid } from '../../api/errors.js';
import type { StatusCause } from '../../api/types.js';

export interface PodLogOptions {
  container?: string;
  follow: boolean;
  previous: boolean;
  timestamps: boolean;
  sinceSeconds?: number;
  /** Parsed sinceTime (ms since epoch). */
  sinceTime?: number;
  tailLines?: number;
  limitBytes?: number;
  stream?: 'All' | 'Stdout' | 'Stderr';
}

function bool(q: URLSearchParams, name: string): boolean {
  const v = q.get(name);
  if (v === null) return false;
  const l = v.toLowerCase();
  return l !== 'false' && l !== '0';
}

function int(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  if (!/^[+-]?\d+$/.test(v)) throw badRequest(`invalid value for query parameter ${name}: ${JSON.stringify(v)} is not an integer`);
  return Number(v);
}

/** Decode and validate; `name` is the pod's (for the 422 message). */
export function parsePodLogOptions(q: URLSearchParams, name: string): PodLogOptions {
  const o: PodLogOptions = {
    container: q.get('container') || undefined,
    follow: bool(q, 'follow'),
    previous: bool(q, 'previous'),
    timestamps: bool(q, 'timestamps'),
    sinceSeconds: int(q, 'sinceSeconds'),
    tailLines: int(q, 'tailLines'),
    limitBytes: int(q, 'limitBytes'),
  };
  const st = q.get('sinceTime');
  if (st) {
    const ms = Date.parse(st);
    if (!/^\d{4}-\d{2}-\d{2}T/.test(st) || Number.isNaN(ms))
      throw badRequest(`invalid value for query parameter sinceTime: ${JSON.stringify(st)} is not an RFC3339 time`);
    o.sinceTime = ms;
  }
  const stream = q.get('stream');
  const causes: StatusCause[] = [];
  if (stream) {
    if (stream === 'All' || stream === 'Stdout' || stream === 'Stderr') o.stream = stream;
    else causes.push(fieldErr.notSupported('stream', stream, ['All', 'Stderr', 'Stdout']));
  }
  if (o.tailLines !== undefined && o.tailLines < 0) causes.push(fieldErr.invalid('tailLines', o.tailLines, 'must be greater than or equal to 0'));
  if (o.limitBytes !== undefined && o.limitBytes < 1) causes.push(fieldErr.invalid('limitBytes', o.limitBytes, 'must be greater than 0'));
  if (o.sinceSeconds !== undefined && o.sinceTime !== undefined)
    causes.push(fieldErr.forbidden('', 'at most one of `sinceTime` or `sinceSeconds` may be specified'));
  else if (o.sinceSeconds !== undefined && o.sinceSeconds < 1) causes.push(fieldErr.invalid('sinceSeconds', o.sinceSeconds, 'must be greater than 0'));
  if (o.stream && o.stream !== 'All' && o.tailLines !== undefined)
    causes.push(fieldErr.forbidden('', '`tailLines` and specific `stream` are mutually exclusive for now'));
  if (causes.length) throw invalid('', 'PodLogOptions', name, causes);
  return o;
}

/** The query for the node's /containerLogs/{namespace}/{pod}/{container}. */
export function containerLogsQuery(o: PodLogOptions): URLSearchParams {
  const p = new URLSearchParams();
  if (o.follow) p.set('follow', 'true');
  if (o.previous) p.set('previous', 'true');
  if (o.timestamps) p.set('timestamps', 'true');
  if (o.sinceSeconds !== undefined) p.set('sinceSeconds', String(o.sinceSeconds));
  if (o.sinceTime !== undefined) p.set('sinceTime', new Date(o.sinceTime).toISOString().replace(/\.\d+Z$/, 'Z'));
  if (o.tailLines !== undefined) p.set('tailLines', String(o.tailLines));
  if (o.limitBytes !== undefined) p.set('limitBytes', String(o.limitBytes));
  if (o.stream) p.set('stream', o.stream);
  return p;
}
