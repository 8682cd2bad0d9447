// Subresources that are a view of the object itself, read with GET and written with PUT/PATCH through the
// generic handlers, the store applying the subresource's strategy: "status" (upstream's StatusREST) and
// any like it (e.g. a pod's ephemeralcontainers).
import type { KubeObject } from '../../api/types.js';
import { methodNotAllowed } from '../../api/errors.js';
import { handleGet } from '../handlers/read.js';
import { handlePatch } from '../handlers/patch.js';
import { handleUpdate } from '../handlers/write.js';
import type { ResourceStrategy, SubresourceDef, SubresourceStrategy } from '../registry.js';
import { defineSubresource } from './define.js';

/** GET, PUT and PATCH of <resource>/<name>/<sub>, with `strategy` deciding what an update may change. */
export function objectSubresource<T extends KubeObject>(strategy: SubresourceStrategy<T>): SubresourceDef<T> {
  return defineSubresource<T>({
    verbs: ['get', 'patch', 'update'],
    strategy,
    serve(ctx) {
      switch (ctx.info.verb) {
        case 'get':
          return handleGet(ctx);
        case 'update':
          return handleUpdate(ctx);
        case 'patch':
          return handlePatch(ctx);
        default:
          throw methodNotAllowed();
      }
    },
  });
}

/** Everything but .status comes from the stored object (upstream's generic status strategy). */
export function keepAllButStatus(obj: KubeObject, old: KubeObject): void {
  const status = obj.status;
  const copy = structuredClone(old);
  copy.metadata.resourceVersion = obj.metadata.resourceVersion;
  copy.status = status;
  Object.assign(obj, copy);
}

/**
 * The status subresource: only .status is the client's (`prepare`, by default keepAllButStatus), then the
 * kind's defaults and `validate` apply.
 */
export function statusSubresource<T extends KubeObject>(
  kind: ResourceStrategy<T>,
  o: { prepare?: (obj: T, old: T) => void; validate?: SubresourceStrategy<T>['validateUpdate'] } = {},
): SubresourceDef<T> {
  return objectSubresource<T>({
    prepareForUpdate(obj, old) {
      (o.prepare ?? keepAllButStatus)(obj, old);
      kind.defaults?.(obj);
    },
    validateUpdate: o.validate,
  });
}
