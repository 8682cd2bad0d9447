// The logging flags of `k8ts server` and `k8ts agent` (klog's --v, and --log-level), applied before any
// component is made so that every component logger starts at the chosen level.
import type { Command } from 'commander';
import { configureLogging, LOG_LEVELS, resolveLogLevel } from '../log/logger.js';

export interface LoggingFlags {
  v?: string;
  logLevel?: string;
}

export function addLoggingOptions(cmd: Command): Command {
  return cmd
    .option('-v, --v <level>', 'log verbosity as klog: 0-3 info, 4-5 debug (HTTP requests, filter verdicts), 6+ trace')
    .option('--log-level <level>', `log level: ${LOG_LEVELS.join('|')} (overrides --v; default info)`);
}

/** Sets the process's log level from the flags; throws on an invalid value (nothing has started yet). */
export function applyLoggingFlags(flags: LoggingFlags): void {
  configureLogging(resolveLogLevel(flags));
}
