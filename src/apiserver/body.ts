// Reading request bodies: the 3 MiB limit (413), and decoding JSON, YAML or Kubernetes protobuf by
// Content-Type (415 otherwise). JSON and YAML are checked for nesting depth before parsing (decode_limits.ts).
import type { IncomingMessage } from 'node:http';
import { parse as parseYAML } from 'yaml';
import { badRequest, requestEntityTooLarge, unsupportedMediaType } from '../api/errors.js';
import { decodeKubernetesProtobuf } from './protobuf/decode.js';
import { PROTOBUF_MEDIA_TYPE } from './protobuf/envelope.js';
import { checkYAMLDepth, scanJSON } from './decode_limits.js';

export const MAX_BODY_BYTES = 3 * 1024 * 1024;

export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? -1);
    if (declared > limit) {
      req.resume();
      reject(requestEntityTooLarge(limit));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (c: Buffer) => {
      if (failed) return;
      size += c.length;
      if (size > limit) {
        failed = true;
        chunks.length = 0;
        reject(requestEntityTooLarge(limit));
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (!failed) resolve(Buffer.concat(chunks));
    });
    req.on('error', (e) => {
      if (!failed) reject(e);
    });
  });
}

export function mediaType(req: IncomingMessage): string {
  const ct = req.headers['content-type'];
  return (ct ?? 'application/json').split(';')[0].trim().toLowerCase();
}

/**
 * Decode a body by media type into a JSON value; only objects are accepted as API bodies. Too deep a
 * document is a 400. `duplicates`, when given, receives the strict errors for repeated JSON object keys.
 */
export function decodeBody(buf: Buffer, type: string, duplicates?: string[]): unknown {
  if (type === PROTOBUF_MEDIA_TYPE) return decodeKubernetesProtobuf(buf);
  const text = buf.toString('utf8');
  if (text.trim() === '') throw badRequest('the body of the request was empty');
  let value: unknown;
  if (type === 'application/json' || type.endsWith('+json')) {
    scanJSON(text, duplicates);
    try {
      value = JSON.parse(text);
    } catch (e) {
      throw badRequest(`the object provided is unrecognized or malformed: ${(e as Error).message}`);
    }
  } else if (type === 'application/yaml' || type.endsWith('+yaml') || type === 'application/x-yaml' || type === 'text/yaml') {
    checkYAMLDepth(text);
    try {
      value = parseYAML(text, { maxAliasCount: 100, uniqueKeys: true });
    } catch (e) {
      throw badRequest(`error converting YAML to JSON: ${(e as Error).message.split('\n')[0]}`);
    }
  } else {
    throw unsupportedMediaType(type);
  }
  return value;
}

export function asObject(value: unknown, what = 'object'): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw badRequest(`the ${what} provided is unrecognized or malformed: expected a JSON object`);
  }
  return value as Record<string, unknown>;
}
