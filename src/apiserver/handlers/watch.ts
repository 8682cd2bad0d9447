// WATCH: a chunked stream of newline-delimited watch events from a resourceVersion (or the current state
// first, as ADDED events), filtered by selectors with upstream's enter/leave semantics, bookmarks,
// timeoutSeconds, 410 Expired as an ERROR event, and slow clients dropped instead of buffered forever.
import type { KubeObject } from '../../api/types.js';
import { badRequest, expired } from '../../api/errors.js';
import { StorageError, type StoreEvent } from '../../storage/interface.js';
import { apiVersionOf } from '../registry.js';
import { rendering } from '../negotiate.js';
import { drainedOrClosed } from '../respond.js';
import type { HandlerContext } from './context.js';
import { checkResourceVersionParam } from './read.js';

const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;
/**
 * Bytes a watch may have in flight before it waits for the socket to drain. Not the stream's 16 KiB high-water
 * mark: a write is acknowledged only on the next event-loop turn, so waiting at 16 KiB caps a watch at ~16 KiB per
 * turn, below what a busy server commits (1,000 pod writes/s are ~4 MB/s of events) and its watchers fall behind
 * until dropped.
 */
const DRAIN_AT_BYTES = 1024 * 1024;
const BOOKMARK_INTERVAL_MS = 30_000;

export async function handleWatch(ctx: HandlerContext): Promise<void> {
  const { req, res, query, def, info, svc } = ctx;
  checkResourceVersionParam(query);
  let fieldSelector = query.get('fieldSelector');
  if (info.name) fieldSelector = [`metadata.name=${info.name}`, fieldSelector].filter(Boolean).join(',');
  const filter = svc.predicate(def, query.get('labelSelector'), fieldSelector);
  const timeoutRaw = query.get('timeoutSeconds');
  if (timeoutRaw !== null && !/^\d+$/.test(timeoutRaw)) throw badRequest(`invalid timeoutSeconds: ${JSON.stringify(timeoutRaw)}`);
  const timeoutMs = timeoutRaw !== null ? Number(timeoutRaw) * 1000 : (1800 + Math.random() * 1800) * 1000;
  const bookmarks = query.get('allowWatchBookmarks') === 'true';
  const rvParam = query.get('resourceVersion') ?? '';
  const sendInitial = query.get('sendInitialEvents') === 'true' || rvParam === '' || rvParam === '0';

  const r = rendering(req);
  const asTable = r.as === 'Table';
  const contentType = asTable ? `application/json;as=Table;v=${r.version};g=meta.k8s.io` : 'application/json';
  let firstTable = true;
  const includeObject = query.get('includeObject') ?? 'Metadata';

  const encode = (type: string, obj: KubeObject | Record<string, unknown>, json?: string): string => {
    if (json !== undefined && !asTable) return `{"type":"${type}","object":${json}}\n`;
    let out: unknown = obj;
    if (asTable && type !== 'ERROR' && type !== 'BOOKMARK') {
      const t = svc.table(def, [obj as KubeObject], includeObject) as Record<string, unknown>;
      t.apiVersion = `meta.k8s.io/${r.version}`;
      if (!firstTable) t.columnDefinitions = [];
      firstTable = false;
      out = t;
    }
    return JSON.stringify({ type, object: out }) + '\n';
  };

  // Initial state (and the revision to watch from).
  let fromRV: number;
  const initial: string[] = [];
  if (sendInitial) {
    const list = await ctx.store.list(info.namespace, { predicate: filter });
    fromRV = list.resourceVersion;
    for (const o of list.items) initial.push(encode('ADDED', o));
    if (query.get('sendInitialEvents') === 'true' && bookmarks) {
      initial.push(
        encode('BOOKMARK', {
          kind: def.kind,
          apiVersion: apiVersionOf(def),
          metadata: { resourceVersion: String(fromRV), annotations: { 'k8s.io/initial-events-end': 'true' } },
        }),
      );
    }
  } else {
    fromRV = Number(rvParam);
  }

  res.writeHead(200, { 'Content-Type': contentType, 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
  res.flushHeaders();
  for (const line of initial) res.write(line);

  let closed = false;
  let lastRV = fromRV;
  const finish = () => {
    if (closed) return;
    closed = true;
    clearTimeout(timer);
    clearInterval(bm);
    watcher?.stop();
    res.end();
  };
  // At the timeout, a last bookmark tells a bookmark-aware client where to resume.
  const timer = setTimeout(() => {
    if (bookmarks && !closed) res.write(encode('BOOKMARK', { kind: def.kind, apiVersion: apiVersionOf(def), metadata: { resourceVersion: String(lastRV) } }));
    finish();
  }, timeoutMs);
  const bm = setInterval(() => {
    if (bookmarks && !closed) {
      res.write(encode('BOOKMARK', { kind: def.kind, apiVersion: apiVersionOf(def), metadata: { resourceVersion: String(lastRV) } }));
    }
  }, BOOKMARK_INTERVAL_MS);
  req.on('close', finish);
  res.on('close', finish);

  let corked = false;
  const uncork = () => {
    corked = false;
    res.uncork();
  };
  const onEvent = (ev: StoreEvent): void | Promise<void> => {
    if (closed) return;
    lastRV = ev.resourceVersion;
    let type: string | undefined;
    const now = filter ? filter(ev.object) : true;
    const before = filter ? ev.prevObject !== undefined && filter(ev.prevObject) : ev.type !== 'ADDED';
    if (!filter) type = ev.type;
    else if (ev.type === 'ADDED') type = now ? 'ADDED' : undefined;
    else if (ev.type === 'DELETED') type = before || now ? 'DELETED' : undefined;
    else if (now && before) type = 'MODIFIED';
    else if (now) type = 'ADDED';
    else if (before) type = 'DELETED';
    if (!type) return;
    // the stored JSON goes out as it is: the object is parsed only for a selector or a Table
    const line = ev.objectJSON !== undefined && !asTable ? `{"type":"${type}","object":${ev.objectJSON}}\n` : encode(type, ev.object);
    // events committed in one tick leave in one chunk (one syscall), not one write each
    if (!corked) {
      corked = true;
      res.cork();
      process.nextTick(uncork);
    }
    const ok = res.write(line);
    if (res.writableLength > MAX_BUFFERED_BYTES) {
      // the client does not keep up: end its watch so it relists, rather than buffering without bound
      res.destroy();
      finish();
      return;
    }
    // past DRAIN_AT_BYTES, let the store hold further events (bounded by its queue limit) until the socket drains
    if (!ok && res.writableLength > DRAIN_AT_BYTES) return drainedOrClosed(res);
  };

  let watcher: { stop(): void } | undefined;
  try {
    watcher = ctx.store.watch(info.namespace, {
      fromRV,
      onEvent,
      onClose: () => finish(),
    });
  } catch (e) {
    if (e instanceof StorageError && e.code === 'Expired') {
      const cur = svc.storage.currentRevision();
      res.write(JSON.stringify({ type: 'ERROR', object: expired(`too old resource version: ${fromRV} (${cur})`).status }) + '\n');
      finish();
      return;
    }
    finish();
    throw e;
  }
}
