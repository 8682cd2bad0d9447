// The KubeletServer's /exec, /attach and /portForward protocol handlers: validate the request, open
// the session before upgrading (so errors are plain HTTP answers), then speak WebSocket (channel
// protocols, or the SPDY port-forward tunnel) or SPDY/3.1 to the client.
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { KubeletServer, StreamingHandler, StreamTarget } from '../server.js';
import { servePortForwardSpdy, servePortForwardWS } from './portforward.js';
import {
  PortForwardProtocolV1,
  PortForwardTunnelProtocol,
  PortForwardWSProtocolV4,
  REMOTE_COMMAND_SPDY_PROTOCOLS,
  REMOTE_COMMAND_WS_PROTOCOLS,
  negotiateProtocol,
  offeredProtocols,
  remoteCommandOptions,
} from './protocols.js';
import { SpdyConnection } from './spdy/connection.js';
import { registerInProcessNode } from './in_process.js';
import { serveRemoteCommandSpdy } from './spdy_remote_command.js';
import { StreamingError, type ProcessSession, type StreamingBackend } from './session.js';
import { WebSocketByteStream } from './ws_byte_stream.js';
import { serveRemoteCommandWS } from './ws_remote_command.js';

const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: 64 * 1024 * 1024 });

function httpError(socket: Duplex, code: number, message: string): void {
  const body = message.endsWith('\n') ? message : message + '\n';
  if (socket.writable) {
    socket.end(
      `HTTP/1.1 ${code} ${STATUS_CODES[code] ?? 'Error'}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  setTimeout(() => socket.destroy(), 1000).unref();
}

function kindOfUpgrade(req: IncomingMessage): 'websocket' | 'spdy' | undefined {
  const u = String(req.headers.upgrade ?? '').toLowerCase();
  if (u === 'websocket') return 'websocket';
  if (u.startsWith('spdy/3.1')) return 'spdy';
  return undefined;
}

/**
 * Complete the WebSocket handshake with the already negotiated `protocol`. ws only accepts RFC 7230
 * tokens in Sec-WebSocket-Protocol and answers 400 "Invalid Sec-WebSocket-Protocol header" to
 * `SPDY/3.1+portforward.k8s.io` (a '/' is a separator), which made kubectl 1.31+ fall back to SPDY; so
 * the offer is taken out of ws's hands and the chosen protocol added to the 101 ourselves.
 */
function acceptWebSocket(req: IncomingMessage, socket: Duplex, head: Buffer, protocol: string | undefined): Promise<WebSocket> {
  return new Promise((resolve) => {
    delete req.headers['sec-websocket-protocol'];
    const addProtocol = (headers: string[], r: IncomingMessage) => {
      if (r === req && protocol) headers.push(`Sec-WebSocket-Protocol: ${protocol}`);
    };
    wss.on('headers', addProtocol);
    try {
      wss.handleUpgrade(req, socket, head, (ws) => resolve(ws));
    } finally {
      // Without verifyClient the handshake (and its 'headers' event) completes synchronously.
      wss.off('headers', addProtocol);
    }
  });
}

function acceptSpdy(socket: Duplex, head: Buffer, protocol: string): SpdyConnection {
  socket.write(`HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: ${protocol}\r\n\r\n`);
  const conn = new SpdyConnection(socket);
  if (head.length) socket.unshift(head);
  return conn;
}

function negotiationError(socket: Duplex, offered: string[], supported: string[]): void {
  httpError(socket, 403, `unable to upgrade: unable to negotiate protocol: client supports [${offered.join(' ')}], server accepts [${supported.join(' ')}]`);
}

function statusOf(e: unknown): [number, string] {
  if (e instanceof StreamingError) return [e.statusCode, e.message];
  return [500, e instanceof Error ? e.message : String(e)];
}

function remoteCommandHandler(kind: 'exec' | 'attach', backend: StreamingBackend): StreamingHandler {
  return {
    upgrade(req, socket, head, target) {
      socket.on('error', () => {});
      void (async () => {
        const upgrade = kindOfUpgrade(req);
        if (!upgrade) return httpError(socket, 400, 'Upgrade request required');
        const opts = remoteCommandOptions(target.query);
        if (kind === 'exec' && opts.command.length === 0) return httpError(socket, 400, 'you must specify at least 1 command');
        if (!opts.stdin && !opts.stdout && !opts.stderr) return httpError(socket, 400, 'you must specify at least 1 of stdin, stdout, stderr');
        const offered = offeredProtocols(upgrade === 'websocket' ? req.headers['sec-websocket-protocol'] : req.headers['x-stream-protocol-version']);
        const supported = upgrade === 'websocket' ? REMOTE_COMMAND_WS_PROTOCOLS : REMOTE_COMMAND_SPDY_PROTOCOLS;
        const protocol = negotiateProtocol(offered, supported);
        if (!protocol) return negotiationError(socket, offered, supported);
        let session: ProcessSession;
        try {
          const ref = { namespace: target.namespace, pod: target.pod, uid: target.uid, container: target.container };
          const so = { stdin: opts.stdin, stdout: opts.stdout, stderr: opts.stderr, tty: opts.tty };
          session = kind === 'exec' ? await backend.exec(ref, opts.command, so) : await backend.attach(ref, so);
        } catch (e) {
          const [code, msg] = statusOf(e);
          return httpError(socket, code, msg);
        }
        if (socket.destroyed) return session.close();
        if (upgrade === 'websocket') {
          const ws = await acceptWebSocket(req, socket, head, protocol);
          await serveRemoteCommandWS(ws, { protocol, opts, start: async () => session });
        } else {
          serveRemoteCommandSpdy(acceptSpdy(socket, head, protocol), protocol, opts, async () => session);
        }
      })().catch((e) => {
        const [code, msg] = statusOf(e);
        httpError(socket, code, msg);
      });
    },
    request(_req: IncomingMessage, res: ServerResponse) {
      res.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('Upgrade request required\n');
    },
  };
}

function portForwardHandler(backend: StreamingBackend): StreamingHandler {
  return {
    upgrade(req, socket, head, target: StreamTarget) {
      socket.on('error', () => {});
      void (async () => {
        const upgrade = kindOfUpgrade(req);
        if (!upgrade) return httpError(socket, 400, 'Upgrade request required');
        const ref = { namespace: target.namespace, pod: target.pod, uid: target.uid };
        const podDesc = `${target.pod}_${target.namespace}${target.uid ? `, uid ${target.uid}` : ''}`;
        // Fail early (before upgrading) when the pod has no network to forward into.
        try {
          await backend.checkPod?.(ref);
        } catch (e) {
          const [code, msg] = statusOf(e);
          return httpError(socket, code, msg);
        }
        const dial = (port: number) => backend.dialPod(ref, port);
        if (upgrade === 'spdy') {
          const offered = offeredProtocols(req.headers['x-stream-protocol-version']);
          const protocol = negotiateProtocol(offered, [PortForwardProtocolV1]);
          if (!protocol) return negotiationError(socket, offered, [PortForwardProtocolV1]);
          return servePortForwardSpdy(acceptSpdy(socket, head, protocol), dial, podDesc);
        }
        const offered = offeredProtocols(req.headers['sec-websocket-protocol']);
        const protocol = negotiateProtocol(offered, [PortForwardTunnelProtocol, PortForwardWSProtocolV4, PortForwardProtocolV1]);
        if (protocol === PortForwardTunnelProtocol) {
          const ws = await acceptWebSocket(req, socket, head, protocol);
          const tunnel = new WebSocketByteStream(ws, socket);
          tunnel.on('error', () => {});
          return servePortForwardSpdy(new SpdyConnection(tunnel), dial, podDesc);
        }
        const ports = target.query
          .getAll('ports')
          .flatMap((p) => p.split(','))
          .map((p) => Number(p.trim()));
        if (ports.length === 0 || ports.some((p) => !Number.isInteger(p) || p < 1 || p > 65535)) {
          return httpError(socket, 400, 'query parameter "port" is required');
        }
        const ws = await acceptWebSocket(req, socket, head, protocol);
        servePortForwardWS(ws, ports, dial, podDesc);
      })().catch((e) => {
        const [code, msg] = statusOf(e);
        httpError(socket, code, msg);
      });
    },
    request(_req: IncomingMessage, res: ServerResponse) {
      res.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('Upgrade request required\n');
    },
  };
}

/** Install exec, attach and portForward handlers on the node's server. */
export function installStreamingHandlers(server: KubeletServer, backend: StreamingBackend): void {
  server.setStreamingHandler('exec', remoteCommandHandler('exec', backend));
  server.setStreamingHandler('attach', remoteCommandHandler('attach', backend));
  server.setStreamingHandler('portForward', portForwardHandler(backend));
  // An API server in this process may reach this node without a loopback TCP hop (connectLocalNode).
  registerInProcessNode(server.http, server.local);
}
