// Writing responses: JSON bodies, Status errors, warning headers.
import type { ServerResponse } from 'node:http';
import { StatusError, internalError } from '../api/errors.js';
import type { Status } from '../api/types.js';

export function writeJSON(res: ServerResponse, code: number, body: unknown, contentType = 'application/json'): void {
  const data = JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(data), 'Cache-Control': 'no-cache, private' });
  res.end(data);
}

export function writeStatus(res: ServerResponse, status: Status): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  writeJSON(res, status.code, status);
}

export function toStatusError(e: unknown): StatusError {
  if (e instanceof StatusError) return e;
  return internalError(e instanceof Error ? e.message : String(e));
}

export function writeError(res: ServerResponse, e: unknown): void {
  writeStatus(res, toStatusError(e).status);
}

/** Adds a `Warning: 299 - "..."` header per message (RFC 7234 style, as upstream sends them). */
export function addWarnings(res: ServerResponse, warnings: string[]): void {
  if (!warnings.length) return;
  res.setHeader(
    'Warning',
    warnings.map((w) => `299 - ${JSON.stringify(w)}`),
  );
}

export function successStatus(details?: Status['details']): Status {
  const s: Status = { apiVersion: 'v1', kind: 'Status', metadata: {}, status: 'Success', code: 200 };
  if (details) s.details = details;
  return s;
}
