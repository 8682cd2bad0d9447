// Kubernetes API errors: a StatusError carries the Status object the API server sends back, with the
// upstream reasons, codes and message wording (NotFound, AlreadyExists, Conflict, Invalid, ...).
import type { Status, StatusCause } from './types.js';

export interface GroupResource {
  group: string;
  resource: string;
}

function qualified(gr: GroupResource): string {
  return gr.group ? `${gr.resource}.${gr.group}` : gr.resource;
}

export class StatusError extends Error {
  constructor(public readonly status: Status) {
    super(status.message ?? status.reason ?? 'error');
    this.name = 'StatusError';
  }
  get code(): number {
    return this.status.code;
  }
  get reason(): string | undefined {
    return this.status.reason;
  }
}

export function makeStatus(code: number, reason: string, message: string, details?: Status['details']): Status {
  const s: Status = { apiVersion: 'v1', kind: 'Status', metadata: {}, status: 'Failure', message, reason, code };
  if (details) s.details = details;
  return s;
}

export function isStatusError(e: unknown): e is StatusError {
  return e instanceof StatusError;
}

export function notFound(gr: GroupResource, name: string): StatusError {
  return new StatusError(makeStatus(404, 'NotFound', `${qualified(gr)} "${name}" not found`, { name, group: gr.group || undefined, kind: gr.resource }));
}

export function alreadyExists(gr: GroupResource, name: string): StatusError {
  return new StatusError(
    makeStatus(409, 'AlreadyExists', `${qualified(gr)} "${name}" already exists`, { name, group: gr.group || undefined, kind: gr.resource }),
  );
}

export function conflict(gr: GroupResource, name: string, why: string): StatusError {
  return new StatusError(
    makeStatus(409, 'Conflict', `Operation cannot be fulfilled on ${qualified(gr)} "${name}": ${why}`, {
      name,
      group: gr.group || undefined,
      kind: gr.resource,
    }),
  );
}

/** 422 Invalid: `kind` is the Kind (e.g. "Pod"), causes carry field paths. */
export function invalid(group: string, kind: string, name: string, causes: StatusCause[]): StatusError {
  const list = causes.map((c) => (c.field ? `${c.field}: ${c.message}` : `${c.message}`));
  const summary = list.length === 1 ? list[0] : `[${list.join(', ')}]`;
  return new StatusError(
    makeStatus(422, 'Invalid', `${kind}${group ? '.' + group : ''} "${name}" is invalid: ${summary}`, {
      name,
      group: group || undefined,
      kind,
      causes,
    }),
  );
}

export function badRequest(message: string): StatusError {
  return new StatusError(makeStatus(400, 'BadRequest', message));
}

export function methodNotAllowed(message = 'the server does not allow this method on the requested resource'): StatusError {
  return new StatusError(makeStatus(405, 'MethodNotAllowed', message));
}

export function notAcceptable(message: string): StatusError {
  return new StatusError(makeStatus(406, 'NotAcceptable', message));
}

export function unsupportedMediaType(contentType: string): StatusError {
  return new StatusError(
    makeStatus(
      415,
      'UnsupportedMediaType',
      `the body of the request was in an unknown format (${JSON.stringify(contentType)}) - accepted media types include: application/json, application/yaml, application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml`,
    ),
  );
}

export function requestEntityTooLarge(limitBytes: number): StatusError {
  return new StatusError(makeStatus(413, 'RequestEntityTooLarge', `Request entity too large: limit is ${limitBytes}`));
}

/** 410 Gone for watches/lists from a compacted resourceVersion. */
export function expired(message: string): StatusError {
  return new StatusError(makeStatus(410, 'Expired', message));
}

export function forbidden(gr: GroupResource, name: string, why: string): StatusError {
  return new StatusError(
    makeStatus(403, 'Forbidden', `${qualified(gr)} "${name}" is forbidden: ${why}`, { name, group: gr.group || undefined, kind: gr.resource }),
  );
}

export function internalError(message: string): StatusError {
  return new StatusError(makeStatus(500, 'InternalError', `Internal error occurred: ${message}`, { causes: [{ message }] }));
}

export function serviceUnavailable(message: string): StatusError {
  return new StatusError(makeStatus(503, 'ServiceUnavailable', message));
}

export function tooManyRequests(message: string, retryAfterSeconds: number): StatusError {
  return new StatusError(makeStatus(429, 'TooManyRequests', message, { retryAfterSeconds }));
}

export function timeout(message: string): StatusError {
  return new StatusError(makeStatus(504, 'Timeout', message));
}

// Field-error helpers, matching upstream field.ErrorList wording.
export const fieldErr = {
  required: (field: string, detail = ''): StatusCause => ({
    reason: 'FieldValueRequired',
    field,
    message: detail ? `Required value: ${detail}` : 'Required value',
  }),
  invalid: (field: string, value: unknown, detail: string): StatusCause => ({
    reason: 'FieldValueInvalid',
    field,
    message: `Invalid value: ${JSON.stringify(value)}: ${detail}`,
  }),
  duplicate: (field: string, value: unknown): StatusCause => ({ reason: 'FieldValueDuplicate', field, message: `Duplicate value: ${JSON.stringify(value)}` }),
  notSupported: (field: string, value: unknown, valid: string[]): StatusCause => ({
    reason: 'FieldValueNotSupported',
    field,
    message: `Unsupported value: ${JSON.stringify(value)}: supported values: ${valid.map((v) => `"${v}"`).join(', ')}`,
  }),
  forbidden: (field: string, detail: string): StatusCause => ({ reason: 'FieldValueForbidden', field, message: `Forbidden: ${detail}` }),
  tooLong: (field: string, max: number): StatusCause => ({ reason: 'FieldValueTooLong', field, message: `Too long: must have at most ${max} bytes` }),
  typeInvalid: (field: string, value: unknown, detail: string): StatusCause => ({
    reason: 'FieldValueTypeInvalid',
    field,
    message: `Invalid value: ${JSON.stringify(value)}: ${detail}`,
  }),
};
