// Decodes an application/vnd.kubernetes.protobuf request body (envelope + typed message) into the JSON
// object the JSON path would have produced; any malformed input becomes a 400 BadRequest.
import { badRequest, isStatusError } from '../../api/errors.js';
import { PROTOBUF_MEDIA_TYPE, readEnvelope } from './envelope.js';
import { messageTypeFor } from './kinds.js';
import { messageToJSON } from './to_json.js';

function malformed(e: unknown): Error {
  const why = e instanceof Error ? e.message : String(e);
  return badRequest(`the object provided is unrecognized or malformed: ${why}`);
}

/** Decode a protobuf-encoded Kubernetes object; throws a 400 StatusError on anything it cannot read. */
export function decodeKubernetesProtobuf(buf: Uint8Array): Record<string, unknown> {
  if (buf.length === 0) throw badRequest('the body of the request was empty');
  try {
    const env = readEnvelope(buf);
    if (env.contentEncoding !== '') throw badRequest(`unsupported content encoding "${env.contentEncoding}" in the protobuf envelope`);
    if (!env.kind || !env.apiVersion) throw badRequest('the protobuf envelope carries no apiVersion/kind');
    if (env.contentType !== '' && env.contentType !== PROTOBUF_MEDIA_TYPE) {
      throw badRequest(`unsupported content type "${env.contentType}" in the protobuf envelope`);
    }
    const type = messageTypeFor(env.apiVersion, env.kind);
    if (!type) throw badRequest(`no kind "${env.kind}" is registered for version "${env.apiVersion}"`);
    const msg = type.decode(env.raw) as unknown as Record<string, unknown>;
    const body = messageToJSON(type, msg) as Record<string, unknown>;
    return { apiVersion: env.apiVersion, kind: env.kind, ...body };
  } catch (e) {
    if (isStatusError(e)) throw e;
    throw malformed(e);
  }
}
