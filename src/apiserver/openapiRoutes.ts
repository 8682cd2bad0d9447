// Serves /openapi/v2 and /openapi/v3[/<group-version>] from documents built once (lazily) from the
// registry, with ETags so kubectl can cache them.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DEFAULT_VERBS, type ResourceRegistry } from './registry.js';
import type { OpenAPIProvider } from './server.js';
import { notAcceptable } from '../api/errors.js';
import { writeStatus } from './respond.js';
import { OpenAPIDocuments, type ServedDocument } from './openapi.js';

export function openAPIProvider(registry: ResourceRegistry): OpenAPIProvider {
  let docs: OpenAPIDocuments | undefined;
  const get = () =>
    (docs ??= new OpenAPIDocuments(
      registry.all.map((d) => ({
        group: d.group,
        version: d.version,
        kind: d.kind,
        resource: d.resource,
        namespaced: d.namespaced,
        verbs: d.verbs ?? DEFAULT_VERBS,
        subresources: d.subresources ?? [],
      })),
    ));
  const send = (req: IncomingMessage, res: ServerResponse, doc: ServedDocument) => {
    if (req.headers['if-none-match'] === doc.etag) {
      res.writeHead(304, { ETag: doc.etag });
      res.end();
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/json', ETag: doc.etag, 'Content-Length': Buffer.byteLength(doc.json), 'Cache-Control': 'no-cache, private' });
    res.end(doc.json);
  };
  return {
    serve(req, res, path) {
      if (path === '/openapi/v2' || path === '/openapi/v2/') {
        const accept = req.headers.accept ?? '';
        if (accept.includes('protobuf') && !/json|\*\/\*/.test(accept)) {
          // the protobuf (gnostic) form is not served: say so, so clients use JSON or do without
          writeStatus(res, notAcceptable('only application/json is supported for /openapi/v2').status);
          return true;
        }
        send(req, res, get().v2());
        return true;
      }
      if (path === '/openapi/v3' || path === '/openapi/v3/') {
        send(req, res, get().v3Index());
        return true;
      }
      if (path.startsWith('/openapi/v3/')) {
        const doc = get().v3(path.slice('/openapi/v3/'.length));
        if (!doc) return false;
        send(req, res, doc);
        return true;
      }
      return false;
    },
  };
}
