// The opaque `continue` token for paged lists: base64 of JSON {v, rv, start}, where `start` is the next key to
// return, relative to the listed prefix (so a token can never reach outside the prefix it was issued for).
import { StorageError } from './interface.js';

export interface ContinuePosition {
  /** Revision of the first page; later pages report it as their resourceVersion. */
  rv: number;
  /** Key (relative to the list prefix) to resume from, inclusive. */
  start: string;
}

const TOKEN_VERSION = 'meta.k8s.io/v1';

export function encodeContinue(prefix: string, rv: number, nextKey: string): string {
  const start = nextKey.startsWith(prefix) ? nextKey.slice(prefix.length) : nextKey;
  return Buffer.from(JSON.stringify({ v: TOKEN_VERSION, rv, start }), 'utf8').toString('base64');
}

/** Decode a token; anything malformed raises StorageError('InvalidContinue'). */
export function decodeContinue(prefix: string, token: string): ContinuePosition {
  const bad = (why: string) => new StorageError('InvalidContinue', prefix, `continue key is not valid: ${why}`);
  if (typeof token !== 'string' || token === '' || !/^[A-Za-z0-9+/_-]*={0,2}$/.test(token)) {
    throw bad('incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
  } catch {
    throw bad('incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  }
  if (parsed === null || typeof parsed !== 'object') throw bad('not an object');
  const { v, rv, start } = parsed as Record<string, unknown>;
  if (v !== TOKEN_VERSION) throw bad('server does not recognize this encoded version');
  if (typeof rv !== 'number' || !Number.isSafeInteger(rv) || rv < 0) throw bad('incorrect encoded start resourceVersion');
  if (typeof start !== 'string' || start === '') throw bad('encoded start key is empty');
  return { rv, start };
}
