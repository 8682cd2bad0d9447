// Structured logging for every component (our klog): one pino root logger, a child per component.
// K8TS_LOG_LEVEL sets the level (default "info"; tests may set "warn").
import { pino, type Logger } from 'pino';

const root = pino({
  level: process.env.K8TS_LOG_LEVEL ?? 'info',
  base: undefined,
  timestamp: pino.stdTimeFunctions.isoTime,
});

export type { Logger };

export function logger(component: string): Logger {
  return root.child({ component });
}
