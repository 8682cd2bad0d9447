// The CRI container log format conmon writes with `--log-driver k8s-file`: one record per line,
// `<RFC3339Nano timestamp> <stdout|stderr> <F|P>[:more tags] <content>`; parsing and timestamp output.

export type LogStream = 'stdout' | 'stderr';

export interface CRILogRecord {
  /** Timestamp as nanoseconds since the Unix epoch. */
  timeNs: bigint;
  /** The timestamp re-rendered the way Go's time.RFC3339Nano prints it. */
  time: string;
  stream: LogStream;
  /** P: a fragment of a longer line (no newline follows); F: the end of a line. */
  partial: boolean;
  /** The content without the record's trailing newline. */
  content: Buffer;
}

const TS_RE = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|z|[+-]\d{2}:?\d{2})$/;

export interface ParsedTime {
  ns: bigint;
  /** Go RFC3339Nano rendering: fraction without trailing zeros, "Z" for a zero offset. */
  text: string;
}

/** Parse an RFC 3339 timestamp with optional fraction (up to nanoseconds); undefined when malformed. */
export function parseRFC3339(s: string): ParsedTime | undefined {
  const m = TS_RE.exec(s);
  if (!m) return undefined;
  const [, base, frac = '', zoneRaw] = m;
  let zone = zoneRaw.toUpperCase();
  if (zone !== 'Z' && !zone.includes(':')) zone = `${zone.slice(0, 3)}:${zone.slice(3)}`;
  if (zone === '+00:00' || zone === '-00:00') zone = 'Z';
  const ms = Date.parse(`${base}${zone}`);
  if (Number.isNaN(ms)) return undefined;
  const nanos = BigInt(frac.padEnd(9, '0') || '0');
  const trimmed = frac.replace(/0+$/, '');
  return {
    ns: BigInt(ms) * 1_000_000n + nanos,
    text: `${base}${trimmed ? '.' + trimmed : ''}${zone}`,
  };
}

/** Nanoseconds since the epoch for a JS Date (millisecond precision). */
export function dateToNs(d: Date | number): bigint {
  return BigInt(typeof d === 'number' ? d : d.getTime()) * 1_000_000n;
}

const SPACE = 0x20;

/**
 * Parse one log file line (without its '\n'). Returns undefined for a line that is not a CRI record
 * (the kubelet skips those).
 */
export function parseCRILine(line: Buffer): CRILogRecord | undefined {
  const s1 = line.indexOf(SPACE);
  if (s1 <= 0) return undefined;
  const t = parseRFC3339(line.toString('latin1', 0, s1));
  if (!t) return undefined;
  const s2 = line.indexOf(SPACE, s1 + 1);
  if (s2 < 0) return undefined;
  const stream = line.toString('latin1', s1 + 1, s2);
  if (stream !== 'stdout' && stream !== 'stderr') return undefined;
  let s3 = line.indexOf(SPACE, s2 + 1);
  // A record with empty content may end right after its tags.
  if (s3 < 0) s3 = line.length;
  const tags = line.toString('latin1', s2 + 1, s3).split(':');
  if (tags[0] !== 'F' && tags[0] !== 'P') return undefined;
  return {
    timeNs: t.ns,
    time: t.text,
    stream,
    partial: tags[0] === 'P',
    content: line.subarray(Math.min(s3 + 1, line.length)),
  };
}

/** Render a record the way conmon writes it (used by tests and fixtures). */
export function formatCRILine(time: string, stream: LogStream, partial: boolean, content: string): string {
  return `${time} ${stream} ${partial ? 'P' : 'F'} ${content}\n`;
}
