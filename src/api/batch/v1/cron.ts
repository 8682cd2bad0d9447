// CronJob schedules: the standard 5-field cron syntax and the @yearly/@annually/@monthly/@weekly/@daily/
// @midnight/@hourly macros (upstream parses with robfig/cron's ParseStandard), evaluated in an IANA time zone
// with cron-parser. The grammar check in front keeps cron-parser's extensions (seconds, L, #, H) out.
import { CronExpressionParser } from 'cron-parser';

const MACROS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
const FIELD_NAMES = ['minute', 'hour', 'day of month', 'month', 'day of week'];
const RANGES: [number, number][] = [
  [0, 59],
  [0, 23],
  [1, 31],
  [1, 12],
  [0, 6],
];

export interface CronSchedule {
  /** The first scheduled time strictly after `t` (undefined when the schedule never fires). */
  next(t: Date): Date | undefined;
  /** The last scheduled time at or before `t` (undefined when there is none). */
  prev(t: Date): Date | undefined;
}

/** Checks one field's syntax the way robfig/cron does: lists of `*`, `?`, `a`, `a-b`, each with an optional `/step`. */
function checkField(field: string, i: number): string | undefined {
  const names = i === 3 ? MONTHS : i === 4 ? DAYS : [];
  const [lo, hi] = RANGES[i]!;
  const value = (s: string): number | undefined => {
    if (/^\d+$/.test(s)) return Number(s);
    const n = names.indexOf(s.toUpperCase());
    if (n < 0) return undefined;
    return i === 3 ? n + 1 : n;
  };
  for (const part of field.split(',')) {
    const [range, step, extra] = part.split('/');
    if (extra !== undefined || range === undefined || range === '') return `failed to parse ${FIELD_NAMES[i]} field "${field}"`;
    if (step !== undefined && !/^\d+$/.test(step)) return `failed to parse int from ${step}`;
    if (step !== undefined && Number(step) === 0) return `step of range should be a positive number: ${part}`;
    if (range === '*' || range === '?') continue;
    const bounds = range.split('-');
    if (bounds.length > 2) return `too many hyphens: ${range}`;
    const nums = bounds.map(value);
    for (let k = 0; k < nums.length; k++) {
      const v = nums[k];
      if (v === undefined) return `failed to parse int from ${bounds[k]}: invalid syntax`;
      if (v < lo) return `beginning of range (${v}) below minimum (${lo}): ${range}`;
      if (v > hi) return `end of range (${v}) above maximum (${hi}): ${range}`;
    }
    if (nums.length === 2 && nums[0]! > nums[1]!) return `beginning of range (${nums[0]}) beyond end of range (${nums[1]}): ${range}`;
  }
  return undefined;
}

/** The 5-field expression a schedule stands for, or an error message (robfig/cron's wording where it has one). */
export function standardExpression(schedule: string): { expr: string } | { error: string } {
  const s = schedule.trim();
  if (s === '') return { error: 'empty spec string' };
  if (s.startsWith('@')) {
    const m = MACROS[s.toLowerCase()];
    return m ? { expr: m } : { error: `unrecognized descriptor: ${s}` };
  }
  const fields = s.split(/\s+/);
  if (fields.length !== 5) return { error: `expected exactly 5 fields, found ${fields.length}: ${s}` };
  for (let i = 0; i < 5; i++) {
    const err = checkField(fields[i]!, i);
    if (err) return { error: err };
  }
  return { expr: fields.join(' ') };
}

/** Whether the schedule sets a time zone inline ("TZ=..." / "CRON_TZ=..."), which upstream refuses. */
export function hasInlineTimeZone(schedule: string): boolean {
  return /(^|\s)(CRON_)?TZ=/.test(schedule);
}

/** Undefined when `tz` names an IANA time zone this process knows; otherwise upstream's message. */
export function timeZoneError(tz: string): string | undefined {
  if (tz.toLowerCase() === 'local') return 'timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones';
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return undefined;
  } catch {
    return `unknown time zone ${tz}`;
  }
}

/** Parses a schedule (throws Error with the parser's message when invalid). `timeZone` default UTC. */
export function parseSchedule(schedule: string, timeZone?: string): CronSchedule {
  const r = standardExpression(schedule);
  if ('error' in r) throw new Error(r.error);
  const tz = timeZone || 'UTC';
  // cron-parser is also asked once here so that anything it cannot evaluate is an error now, not later.
  CronExpressionParser.parse(r.expr, { tz, currentDate: new Date(0) });
  return {
    next(t: Date): Date | undefined {
      try {
        // cron times are whole minutes: "strictly after t" is the first match after t's minute
        const it = CronExpressionParser.parse(r.expr, { tz, currentDate: new Date(Math.floor(t.getTime() / 60_000) * 60_000) });
        return it.next().toDate();
      } catch {
        return undefined;
      }
    },
    prev(t: Date): Date | undefined {
      try {
        const it = CronExpressionParser.parse(r.expr, { tz, currentDate: new Date(Math.floor(t.getTime() / 60_000) * 60_000 + 60_000) });
        return it.prev().toDate();
      } catch {
        return undefined;
      }
    },
  };
}

/** RFC 3339 in `timeZone` (UTC: "Z"), as Go's Time.In(loc).Format(time.RFC3339) writes it. */
export function formatRFC3339InZone(d: Date, timeZone?: string): string {
  const base = d.toISOString().replace(/\.\d{3}Z$/, 'Z');
  if (!timeZone || timeZone === 'UTC' || timeZone === 'Etc/UTC') return base;
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
      .formatToParts(d)
      .map((p) => [p.type, p.value]),
  );
  const local = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  const offsetMin = Math.round((local - Math.floor(d.getTime() / 1000) * 1000) / 60_000);
  if (offsetMin === 0) return base;
  const sign = offsetMin < 0 ? '-' : '+';
  const abs = Math.abs(offsetMin);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}
