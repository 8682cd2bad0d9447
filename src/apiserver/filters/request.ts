// The request as it travels the filter chain (upstream keeps this in the request's context): the HTTP
// request with its response — or, for an upgrade, the raw socket — and what the filters learnt about it.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { internalError } from '../../api/errors.js';
import type { RequestInfo } from '../request_info.js';
import type { AuditEvent } from './audit_event.js';
import type { UserInfo } from './user.js';

export interface ApiRequest {
  req: IncomingMessage;
  /** The response of an ordinary request; absent on an upgrade. */
  res?: ServerResponse;
  /** An upgrade request (exec, attach, portforward): the client's socket and the bytes after its headers. */
  upgrade?: { socket: Duplex; head: Buffer };
  /** Set by WithRequestInfo. */
  url?: URL;
  info?: RequestInfo;
  /** Set by WithAuthentication; replaced by WithImpersonation. */
  user?: UserInfo;
  /** Set by WithAudit. */
  audit?: AuditEvent;
}

export type Handler = (r: ApiRequest) => Promise<void>;
export type Filter = (next: Handler) => Handler;

/** The request info and user the chain attached (a handler behind the chain can rely on both). */
export function resolved(r: ApiRequest): { url: URL; info: RequestInfo; user: UserInfo } {
  if (!r.url || !r.info || !r.user) throw internalError('request reached its handler without request info or user');
  return { url: r.url, info: r.info, user: r.user };
}
