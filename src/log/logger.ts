// Structured logging for every component (our klog): one pino root logger writing JSON lines to stderr, a
// child per component. The process assembly sets the level once from --v / --log-level (configureLogging);
// K8TS_LOG_LEVEL is the default when neither is given (tests may set "warn").
// Keys used across components: component, pod ("ns/name"), node, container, action, durationMs, err.
import { pino, destination, type Level, type Logger } from 'pino';

export type { Logger };
export type LogLevel = Exclude<Level, 'fatal'>;

export const LOG_LEVELS: readonly LogLevel[] = ['error', 'warn', 'info', 'debug', 'trace'];

function isLogLevel(s: string): s is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(s);
}

const envLevel = process.env.K8TS_LOG_LEVEL;
const root = pino(
  {
    level: envLevel && (isLogLevel(envLevel) || envLevel === 'silent' || envLevel === 'fatal') ? envLevel : 'info',
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
    // "level":"info" rather than 30: what an operator greps for
    formatters: { level: (label) => ({ level: label }) },
  },
  // klog writes to stderr; stdout stays for the commands' own output. Synchronous, so nothing is lost on exit.
  destination({ fd: 2, sync: true }),
);

/** Component loggers handed out so far: a later configureLogging applies to them too (pino children keep their own level). */
const children: Logger[] = [];

/** The logger of one component, e.g. logger('scheduler') or logger('controller-manager', { controller: 'namespace' }). */
export function logger(component: string, bindings: Record<string, unknown> = {}): Logger {
  const l = root.child({ component, ...bindings });
  children.push(l);
  return l;
}

/** Sets the level of the root logger and of every component logger made from it. */
export function configureLogging(level: string): void {
  root.level = level;
  for (const c of children) c.level = level;
}

/**
 * klog's verbosity as a level: 0–3 info (2 is upstream's "useful steady-state information", which k8ts logs at
 * info already), 4–5 debug (e.g. every HTTP request, each filter plugin's verdict), 6+ trace.
 */
export function levelForVerbosity(v: number): LogLevel {
  if (v >= 6) return 'trace';
  if (v >= 4) return 'debug';
  return 'info';
}

/**
 * The level from the --log-level and --v flags (--log-level wins when both are given), else the default.
 * Throws on a value that is not a level or a non-negative integer verbosity.
 */
export function resolveLogLevel(flags: { logLevel?: string; v?: string | number }, dflt: string = root.level): string {
  if (flags.logLevel !== undefined) {
    const l = String(flags.logLevel).toLowerCase();
    if (!isLogLevel(l)) throw new Error(`--log-level must be one of ${LOG_LEVELS.join('|')}, got ${JSON.stringify(flags.logLevel)}`);
    return l;
  }
  if (flags.v !== undefined) {
    const s = String(flags.v);
    const v = Number(s);
    if (!/^\d+$/.test(s) || !Number.isSafeInteger(v)) throw new Error(`--v wants a non-negative integer verbosity, got ${JSON.stringify(flags.v)}`);
    return levelForVerbosity(v);
  }
  return dflt;
}

/** The "ns/name" reference of an object (klog.KObj). */
export function objRef(meta: { namespace?: string; name?: string } | undefined): string {
  const name = meta?.name ?? '';
  return meta?.namespace ? `${meta.namespace}/${name}` : name;
}

/** An error as the err field carries it: its message. */
export function errMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
