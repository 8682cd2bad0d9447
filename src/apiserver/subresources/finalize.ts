// namespaces/<name>/finalize (upstream's FinalizeREST): PUT replaces spec.finalizers and nothing else;
// the namespace controller uses it to release a terminating namespace.
import { handleUpdate } from '../handlers/write.js';
import type { Namespace } from '../../api/core/v1/types.js';
import type { SubresourceDef } from '../registry.js';
import { defineSubresource } from './define.js';

export const namespaceFinalize: SubresourceDef<Namespace> = defineSubresource<Namespace>({
  verbs: ['update'],
  strategy: {
    prepareForUpdate(obj, old) {
      const finalizers = obj.spec?.finalizers ?? [];
      const rv = obj.metadata.resourceVersion;
      const copy = structuredClone(old);
      copy.metadata.resourceVersion = rv;
      copy.spec = { ...(copy.spec ?? {}), finalizers };
      for (const k of Object.keys(obj)) delete obj[k];
      Object.assign(obj, copy);
    },
  },
  serve: (ctx) => handleUpdate(ctx, { recordManagedFields: false }),
});
