// Serves /openapi/v2 (JSON, or gnostic protobuf for kubectl 1.27/1.28) and /openapi/v3[/<group-version>]
// from documents built once (lazily) from the registry, with ETags so kubectl can cache them.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createHash } from 'node:crypto';
import { DEFAULT_VERBS, subresourceNames, type ResourceRegistry } from './registry.js';
import type { OpenAPIProvider } from './server.js';
import { notAcceptable } from '../api/errors.js';
import { writeStatus } from './respond.js';
import { OpenAPIDocuments, type ServedDocument } from './openapi.js';
import { encodeOpenAPIV2, OPENAPI_V2_PROTOBUF, OPENAPI_V2_PROTOBUF_ACCEPT } from './protobuf/openapi_v2.js';
import { parseAccept } from './negotiate.js';

interface ProtobufDocument {
  bytes: Buffer;
  etag: string;
}

/** The gnostic protobuf encoding of the v2 document, with its own ETag (computed once per document). */
function protobufDocument(doc: ServedDocument): ProtobufDocument {
  const bytes = Buffer.from(encodeOpenAPIV2(doc.body));
  return { bytes, etag: `"${createHash('sha512').update(bytes).digest('hex').toUpperCase()}"` };
}

/** Which /openapi/v2 encoding the Accept header asks for first: JSON (also when absent), protobuf, or none. */
function v2Form(accept: string | undefined): 'json' | 'protobuf' | undefined {
  const ranges = parseAccept(accept);
  if (ranges.length === 0) return 'json';
  for (const r of ranges) {
    if (r.params.q === '0') continue;
    if (r.type === OPENAPI_V2_PROTOBUF || r.type === OPENAPI_V2_PROTOBUF_ACCEPT) return 'protobuf';
    if (r.type === 'application/json' || r.type === '*/*' || r.type === 'application/*') return 'json';
  }
  return undefined;
}

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
        subresources: subresourceNames(d),
      })),
    ));
  const send = (req: IncomingMessage, res: ServerResponse, doc: ServedDocument) => {
    if (req.headers['if-none-match'] === doc.etag) {
      res.writeHead(304, { ETag: doc.etag });
      res.end();
      return;
    }
    res.writeHead(200, {
      'Content-Type': 'application/json',
      ETag: doc.etag,
      'Content-Length': Buffer.byteLength(doc.json),
      'Cache-Control': 'no-cache, private',
    });
    res.end(doc.json);
  };
  let v2pb: ProtobufDocument | undefined;
  const sendProtobuf = (req: IncomingMessage, res: ServerResponse, doc: ProtobufDocument) => {
    if (req.headers['if-none-match'] === doc.etag) {
      res.writeHead(304, { ETag: doc.etag });
      res.end();
      return;
    }
    res.writeHead(200, { 'Content-Type': OPENAPI_V2_PROTOBUF, ETag: doc.etag, 'Content-Length': doc.bytes.length, 'Cache-Control': 'no-cache, private' });
    res.end(doc.bytes);
  };
  return {
    serve(req, res, path) {
      if (path === '/openapi/v2' || path === '/openapi/v2/') {
        const form = v2Form(req.headers.accept);
        if (form === undefined) {
          writeStatus(res, notAcceptable(`only application/json and ${OPENAPI_V2_PROTOBUF_ACCEPT} are supported for /openapi/v2`).status);
          return true;
        }
        if (form === 'protobuf') sendProtobuf(req, res, (v2pb ??= protobufDocument(get().v2())));
        else send(req, res, get().v2());
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
