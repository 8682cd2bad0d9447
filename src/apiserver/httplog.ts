// HTTP request logging (upstream's WithHTTPLogging): one debug line per finished request with its verb, URI,
// status, latency, user agent and source address. Off (and free) unless the level is debug or lower, so
// kubectl's discovery chatter never reaches the info log.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../log/logger.js';

/** Call first thing for each request: logs it when the response is done (or the connection closed early). */
export function withHTTPLogging(log: Logger, req: IncomingMessage, res: ServerResponse): void {
  if (!log.isLevelEnabled('debug')) return;
  const start = process.hrtime.bigint();
  res.once('close', () => {
    const durationMs = Number(process.hrtime.bigint() - start) / 1e6;
    log.debug(
      {
        verb: req.method,
        URI: req.url,
        status: res.statusCode,
        durationMs: Math.round(durationMs * 1000) / 1000,
        userAgent: req.headers['user-agent'] ?? '',
        srcIP: req.socket?.remoteAddress ? `${req.socket.remoteAddress}:${req.socket.remotePort}` : '',
        // a response that never finished (client went away, watch ended by the client) says so
        ...(res.writableFinished ? {} : { aborted: true }),
      },
      'HTTP',
    );
  });
}

/** Upgrade requests (exec, attach, port-forward) hand their socket over: one debug line when they arrive. */
export function logUpgradeRequest(log: Logger, req: IncomingMessage): void {
  if (!log.isLevelEnabled('debug')) return;
  log.debug(
    {
      verb: req.method,
      URI: req.url,
      upgrade: req.headers.upgrade ?? '',
      userAgent: req.headers['user-agent'] ?? '',
      srcIP: req.socket?.remoteAddress ? `${req.socket.remoteAddress}:${req.socket.remotePort}` : '',
    },
    'HTTP upgrade',
  );
}
