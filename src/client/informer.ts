// A standalone informer on one collection path (a SharedIndexInformer that is not in a factory), for code that
// wants one list+watch of its own; controllers get theirs from a SharedInformerFactory instead.
import type { KubeObject } from '../api/types.js';
import { listWatchFor, type ReflectorOptions } from './reflector.js';
import type { KubeClient } from './rest.js';
import { SharedIndexInformer, type EventHandlers, type HandlerRegistration } from './shared_informer.js';

export { objectKey } from './indexer.js';
export type InformerHandlers<T extends KubeObject> = EventHandlers<T>;

export class Informer<T extends KubeObject = KubeObject> extends SharedIndexInformer<T> {
  constructor(
    client: KubeClient,
    /** Collection path, e.g. /api/v1/pods or /api/v1/namespaces/x/pods. */
    path: string,
    query: Record<string, string> = {},
    reflector?: ReflectorOptions,
  ) {
    super(listWatchFor<T>(client, path, query), { name: [path, ...Object.values(query)].join(' '), reflector });
  }

  addHandlers(h: InformerHandlers<T>): HandlerRegistration {
    return this.addEventHandler(h);
  }
}
