// WithAudit: the audit hook. Each request gets an Audit-ID and an audit event (who, what, on which object)
// handed to an AuditSink at RequestReceived and at ResponseComplete (or Panic), as upstream's audit.k8s.io
// Event stages. The default sink drops them.
import { randomUUID } from 'node:crypto';
import { StatusError } from '../../api/errors.js';
import type { AuditSink, AuditStage, AuditEvent } from './audit_event.js';
import type { Filter } from './request.js';

export type { AuditSink, AuditStage, AuditEvent };

export const noopAuditSink: AuditSink = { processEvent() {} };

export function withAudit(sink: AuditSink): Filter {
  return (next) => async (r) => {
    if (sink === noopAuditSink) return next(r);
    const now = new Date().toISOString();
    const info = r.info!;
    const ev: AuditEvent = {
      auditID: randomUUID(),
      stage: 'RequestReceived',
      requestURI: r.req.url ?? '/',
      verb: info.verb,
      user: r.user!,
      sourceIPs: r.req.socket?.remoteAddress ? [r.req.socket.remoteAddress] : [],
      userAgent: r.req.headers['user-agent'],
      requestReceivedTimestamp: now,
      stageTimestamp: now,
    };
    if (info.isResourceRequest) {
      ev.objectRef = {
        resource: info.resource,
        namespace: info.namespace,
        name: info.name,
        apiGroup: info.group,
        apiVersion: info.version,
        subresource: info.subresource,
      };
    }
    r.audit = ev;
    const emit = (stage: AuditStage, code: number) => {
      ev.stage = stage;
      ev.stageTimestamp = new Date().toISOString();
      ev.responseStatus = { code };
      sink.processEvent(structuredClone(ev));
    };
    sink.processEvent(structuredClone(ev));
    const res = r.res;
    if (res) {
      res.setHeader('Audit-Id', ev.auditID);
      let done = false;
      const complete = () => {
        if (done) return;
        done = true;
        emit('ResponseComplete', res.statusCode);
      };
      try {
        await next(r);
      } catch (e) {
        if (!(e instanceof StatusError)) {
          done = true;
          emit('Panic', 500);
        } else if (!res.headersSent) {
          // the outer filter writes the error: complete once it is sent
          res.once('finish', complete).once('close', complete);
        } else complete();
        throw e;
      }
      if (res.writableFinished) complete();
      else res.once('finish', complete).once('close', complete);
      return;
    }
    try {
      await next(r);
      emit('ResponseComplete', 101);
    } catch (e) {
      if (e instanceof StatusError) emit('ResponseComplete', e.status.code);
      else emit('Panic', 500);
      throw e;
    }
  };
}
