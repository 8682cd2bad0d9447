// RFC 6902 JSON patch (application/json-patch+json) on top of fast-json-patch, with upstream's error mapping:
// an undecodable patch is 400 BadRequest, a patch that does not apply (incl. a failed `test`) is 422 Invalid,
// and `copy` operations may not grow the document by more than MAX_JSON_PATCH_COPY_BYTES in total.
import fastJsonPatch from 'fast-json-patch';
import type { Operation } from 'fast-json-patch';
import { StatusError, badRequest, makeStatus } from '../../api/errors.js';
import { isObject, parsePatchBody } from './json.js';

/** Upstream's cap on the number of operations in one JSON patch. */
export const MAX_JSON_PATCH_OPERATIONS = 10000;

/** Upstream's JSONPatchMaxCopyBytes (json-patch AccumulatedCopySizeLimit): 3 MiB of copied values per patch. */
export const MAX_JSON_PATCH_COPY_BYTES = 3 * 1024 * 1024;

const OPS = new Set(['add', 'remove', 'replace', 'move', 'copy', 'test']);

/** 422 as upstream builds it (errors.NewGenericServerResponse(422, ...)); the detail goes into a cause. */
export function patchApplyError(detail: string): StatusError {
  return new StatusError(
    makeStatus(422, 'Invalid', 'the server rejected our request due to an error in our request', {
      causes: [{ reason: 'UnexpectedServerResponse', message: detail }],
    }),
  );
}

/** Parses and shape-checks a JSON patch document; throws 400 BadRequest when it cannot be decoded. */
export function decodeJsonPatch(body: string | Buffer | unknown): Operation[] {
  const doc = parsePatchBody(body);
  if (!Array.isArray(doc)) {
    throw badRequest(`json: cannot unmarshal ${doc === null ? 'null' : typeof doc} into Go value of type jsonpatch.Patch`);
  }
  for (const op of doc) {
    if (!isObject(op)) throw badRequest(`json: cannot unmarshal ${Array.isArray(op) ? 'array' : typeof op} into Go value of type jsonpatch.Operation`);
  }
  if (doc.length > MAX_JSON_PATCH_OPERATIONS) {
    throw new StatusError(
      makeStatus(
        413,
        'RequestEntityTooLarge',
        `Request entity too large: The allowed maximum operations in a JSON patch is ${MAX_JSON_PATCH_OPERATIONS}, got ${doc.length}`,
      ),
    );
  }
  return doc as Operation[];
}

function checkOperation(op: Record<string, unknown>): void {
  const kind = op.op;
  if (typeof kind !== 'string' || !OPS.has(kind)) throw patchApplyError(`Unexpected kind: ${String(kind ?? '')}`);
  if (typeof op.path !== 'string') throw patchApplyError(`${kind} operation missing path`);
  if (op.path !== '' && !op.path.startsWith('/')) throw patchApplyError(`${kind} operation: invalid path ${JSON.stringify(op.path)}`);
  if ((kind === 'move' || kind === 'copy') && typeof op.from !== 'string') throw patchApplyError(`${kind} operation missing from`);
  if ((kind === 'add' || kind === 'replace' || kind === 'test') && !('value' in op)) {
    throw patchApplyError(`${kind} operation missing value`);
  }
}

function detailFor(err: { name?: string; operation?: Operation; message: string }): string {
  const op = err.operation as (Operation & { value?: unknown; from?: string }) | undefined;
  const path = op?.path ?? '';
  const last = path.split('/').pop() ?? '';
  switch (err.name) {
    case 'TEST_OPERATION_FAILED':
      return `testing value ${path} failed: test failed`;
    case 'OPERATION_PATH_UNRESOLVABLE':
      if (op?.op === 'remove') return `Unable to remove nonexistent key: ${last}: missing value`;
      return `${op?.op ?? 'patch'} operation does not apply: doc is missing key: ${path}: missing value`;
    case 'OPERATION_FROM_UNRESOLVABLE':
      return `${op?.op ?? 'patch'} operation does not apply: doc is missing from path: ${op?.from ?? ''}: missing value`;
    case 'OPERATION_PATH_CANNOT_ADD':
      return `add operation does not apply: doc is missing path: ${JSON.stringify(path)}: missing value`;
    case 'OPERATION_VALUE_OUT_OF_BOUNDS':
    case 'OPERATION_PATH_ILLEGAL_ARRAY_INDEX':
      return `Unable to access invalid index: ${last}: invalid index referenced`;
    default:
      return err.message.split('\n')[0];
  }
}

/** Bytes a `copy` from `from` adds: the JSON size of the value there (0 when it does not exist). */
function copySize(doc: unknown, from: string): number {
  let v: unknown;
  try {
    v = fastJsonPatch.getValueByPointer(doc, from);
  } catch {
    return 0; // applyOperation reports the missing path
  }
  return v === undefined ? 0 : (JSON.stringify(v)?.length ?? 0);
}

/**
 * Applies an RFC 6902 patch to `doc` and returns the patched copy (`doc` is not modified).
 * Throws StatusError 400 (undecodable), 413 (too many ops) or 422 (does not apply / test failed).
 */
export function applyJsonPatch<T>(doc: T, body: string | Buffer | unknown): T {
  const ops = decodeJsonPatch(body);
  for (const op of ops) checkOperation(op as unknown as Record<string, unknown>);
  try {
    // one deep copy of the document, then the operations in order on it, metering what `copy` adds
    let cur = fastJsonPatch.deepClone(doc) as T;
    let copied = 0;
    ops.forEach((op, i) => {
      if (op.op === 'copy') {
        copied += copySize(cur, op.from);
        if (copied > MAX_JSON_PATCH_COPY_BYTES) {
          throw patchApplyError(
            `Unable to complete the copy, the accumulated size increase of copy is ${copied}, exceeding the limit ${MAX_JSON_PATCH_COPY_BYTES}`,
          );
        }
      }
      cur = fastJsonPatch.applyOperation(cur, op, true, true, true, i).newDocument;
    });
    return cur;
  } catch (e) {
    if (e instanceof StatusError) throw e;
    if (e instanceof fastJsonPatch.JsonPatchError) throw patchApplyError(detailFor(e));
    throw patchApplyError((e as Error).message);
  }
}
