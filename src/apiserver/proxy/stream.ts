// Streams a GET on the node's endpoint through to the API client (upstream's LocationStreamer): the node's
// non-2xx answers become Status errors, chunks are forwarded as they arrive, and either side closing
// ends the other. An unreachable node is a quick 503, never a hang.
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import { StatusError, badRequest, internalError, makeStatus, serviceUnavailable } from '../../api/errors.js';

export interface StreamOptions {
  /** e.g. "pods/log": used in the messages of the node's unexpected answers. */
  qualifiedResource: string;
  name: string;
  /** Time allowed to connect and receive the node's response headers. */
  connectTimeoutMs: number;
  contentType?: string;
  /** Client certificate and CA for an https node URL. */
  tls?: { ca: string; cert: string; key: string };
}

const MAX_ERROR_BODY = 16 * 1024;

function dialError(url: URL, e: NodeJS.ErrnoException): StatusError {
  const target = `${url.hostname}:${url.port}`;
  const why =
    e.code === 'ECONNREFUSED'
      ? `dial tcp ${target}: connect: connection refused`
      : e.code === 'ETIMEDOUT'
        ? `dial tcp ${target}: i/o timeout`
        : e.code === 'EHOSTUNREACH'
          ? `dial tcp ${target}: connect: no route to host`
          : e.message;
  return serviceUnavailable(`Get "${url.toString()}": ${why}`);
}

/** Map the node's non-2xx answer to a Status, the way upstream's generic response checker does. */
export function nodeErrorStatus(code: number, body: string, o: { qualifiedResource: string; name: string }): StatusError {
  const text = body.trim();
  if (code === 500) return internalError(text);
  if (code === 400) return badRequest(text);
  const suffix = o.qualifiedResource ? (o.name ? ` ( ${o.qualifiedResource} ${o.name})` : ` ( ${o.qualifiedResource})`) : '';
  const [reason, msg] =
    code === 404
      ? ['NotFound', 'the server could not find the requested resource']
      : code === 401
        ? ['Unauthorized', 'the server has asked for the client to provide credentials']
        : code === 403
          ? ['Forbidden', 'the server does not allow access to the requested resource']
          : code === 503
            ? ['ServiceUnavailable', 'the server is currently unable to handle the request']
            : code === 422
              ? ['Invalid', 'the server rejected our request due to an error in our request']
              : ['InternalError', `the server responded with the status code ${code} but did not return more information`];
  return new StatusError(
    makeStatus(code, reason, `${msg}${suffix}`, {
      name: o.name || undefined,
      kind: o.qualifiedResource || undefined,
      causes: [{ reason: 'UnexpectedServerResponse', message: text }],
    }),
  );
}

/**
 * GET `url` and stream its body into `res`. Rejects with a StatusError before anything is written to
 * `res` (connection failure, timeout, node error); resolves when the stream ends or the client leaves.
 */
export function streamFromNode(url: URL, _req: IncomingMessage, res: ServerResponse, o: StreamOptions): Promise<void> {
  const mod = url.protocol === 'https:' ? https : http;
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    const fail = (e: StatusError) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      upstream.destroy();
      reject(e);
    };
    const upstream = mod.request(url, { method: 'GET', headers: { Accept: '*/*', 'User-Agent': 'k8ts-apiserver' }, agent: false, ...(o.tls ?? {}) });
    const timer = setTimeout(() => fail(serviceUnavailable(`Get "${url.toString()}": dial tcp ${url.hostname}:${url.port}: i/o timeout`)), o.connectTimeoutMs);
    upstream.on('error', (e: NodeJS.ErrnoException) => {
      if (!settled) fail(dialError(url, e));
      else if (!res.writableEnded) res.destroy();
    });
    // The client went away: stop reading from the node.
    const onClientClose = () => {
      upstream.destroy();
      if (!settled) {
        settled = true;
        clearTimeout(timer);
        resolve();
      }
    };
    res.on('close', onClientClose);

    upstream.on('response', (up) => {
      const code = up.statusCode ?? 500;
      if (code < 200 || code > 206) {
        const chunks: Buffer[] = [];
        let n = 0;
        up.on('data', (c: Buffer) => {
          if (n < MAX_ERROR_BODY) chunks.push(c);
          n += c.length;
        });
        up.on('end', () => fail(nodeErrorStatus(code, Buffer.concat(chunks).toString('utf8').slice(0, MAX_ERROR_BODY), o)));
        up.on('error', () => fail(nodeErrorStatus(code, Buffer.concat(chunks).toString('utf8'), o)));
        return;
      }
      if (settled) {
        up.destroy();
        return;
      }
      settled = true;
      clearTimeout(timer);
      res.writeHead(code, { 'Content-Type': o.contentType ?? up.headers['content-type'] ?? 'text/plain', 'Cache-Control': 'no-cache, private' });
      res.flushHeaders();
      up.on('data', (c: Buffer) => {
        if (!res.write(c)) {
          up.pause();
          res.once('drain', () => up.resume());
        }
      });
      up.on('end', () => {
        res.end();
        resolve();
      });
      up.on('error', () => {
        res.destroy();
        resolve();
      });
      up.on('aborted', () => {
        res.destroy();
        resolve();
      });
    });
    upstream.end();
  });
}
