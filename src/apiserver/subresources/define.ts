// defineSubresource: a SubresourceDef whose handlers are typed with the server's HandlerContext and
// UpgradeContext (the registry only knows their common part, SubresourceRequest).
import type { KubeObject } from '../../api/types.js';
import type { HandlerContext, UpgradeContext } from '../handlers/context.js';
import type { SubresourceDef } from '../registry.js';

export interface SubresourceHandlers<T extends KubeObject> extends Omit<SubresourceDef<T>, 'serve' | 'upgrade'> {
  serve(ctx: HandlerContext): Promise<void>;
  upgrade?(ctx: UpgradeContext): Promise<void>;
}

export function defineSubresource<T extends KubeObject = KubeObject>(d: SubresourceHandlers<T>): SubresourceDef<T> {
  return d;
}
