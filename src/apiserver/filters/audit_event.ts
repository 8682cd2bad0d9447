// The audit event of one request (audit.k8s.io Event's fields that we fill) and the sink that receives it.
import type { UserInfo } from './user.js';

export type AuditStage = 'RequestReceived' | 'ResponseComplete' | 'Panic';

export interface AuditEvent {
  auditID: string;
  stage: AuditStage;
  requestURI: string;
  verb: string;
  user: UserInfo;
  /** Set by WithImpersonation: the user the request acts as. */
  impersonatedUser?: UserInfo;
  sourceIPs: string[];
  userAgent?: string;
  objectRef?: { resource: string; namespace?: string; name?: string; apiGroup: string; apiVersion: string; subresource?: string };
  responseStatus?: { code: number };
  requestReceivedTimestamp: string;
  stageTimestamp: string;
}

export interface AuditSink {
  /** Called once per stage; the event must not be kept and changed later (copy it). */
  processEvent(ev: AuditEvent): void;
}
