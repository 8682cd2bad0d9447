// WithPanicRecovery, the outermost filter: whatever a filter or handler throws becomes the response. A
// StatusError is the handler's own answer (404, 409, 422...); any other exception is a "panic": it is
// logged and answered with a 500 InternalError Status, and the server goes on serving.
import { StatusError } from '../../api/errors.js';
import type { Logger } from '../../log/logger.js';
import { writeUpgradeError } from '../proxy/upgrade.js';
import { writeError } from '../respond.js';
import type { Filter } from './request.js';

export function withPanicRecovery(log: Logger): Filter {
  return (next) => async (r) => {
    try {
      await next(r);
    } catch (e) {
      if (!(e instanceof StatusError)) log.error({ err: e, method: r.req.method, url: r.req.url }, 'request caused a panic');
      try {
        if (r.res) writeError(r.res, e);
        else if (r.upgrade) writeUpgradeError(r.upgrade.socket, e);
      } catch {
        r.res?.destroy();
        r.upgrade?.socket.destroy();
      }
    }
  };
}
