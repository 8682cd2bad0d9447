// Remote command (exec/attach) over WebSocket, the channel protocol kubectl 1.30+ uses: each message
// (binary or text, as upstream reads both alike) is [channel byte][data]; 0 stdin, 1 stdout, 2 stderr,
// 3 error (Status at the end), 4 resize; v5 adds [255, channel] to half-close the client's stdin.
import type { WebSocket } from 'ws';
import { errorChannelPayload, exitCodeStatus, internalErrorStatus } from './exit_status.js';
import { Channel, parseTerminalSize, StreamProtocolV5, type RemoteCommandOptions } from './protocols.js';
import type { ProcessSession } from './session.js';

/** Pause producers while this much is queued on the WebSocket. */
const HIGH_WATER = 1 << 20;

export interface WSRemoteCommandOptions {
  protocol: string;
  opts: RemoteCommandOptions;
  /** Opens the session; rejects with an Error whose message goes on the error channel. */
  start: () => Promise<ProcessSession>;
  /** For the exit Status message. */
  command?: string[];
}

/** Serve one remote command on an accepted WebSocket; resolves when the WebSocket is closed. */
export function serveRemoteCommandWS(ws: WebSocket, o: WSRemoteCommandOptions): Promise<void> {
  return new Promise<void>((resolve) => {
    let session: ProcessSession | undefined;
    let closed = false;
    const pendingStdin: (Buffer | null)[] = [];
    const pendingResize: Buffer[] = [];

    const send = (channel: number, data: Buffer, cb?: () => void) => {
      if (closed || ws.readyState !== ws.OPEN) return cb?.();
      const msg = Buffer.allocUnsafe(data.length + 1);
      msg[0] = channel;
      data.copy(msg, 1);
      ws.send(msg, { binary: true }, () => cb?.());
    };

    const stdinWrite = (d: Buffer | null) => {
      if (!session) return void pendingStdin.push(d);
      const w = session.stdin;
      if (!w || w.destroyed || w.writableEnded) return;
      if (d === null) w.end();
      else w.write(d);
    };
    const doResize = (d: Buffer) => {
      if (!session) return void pendingResize.push(d);
      const s = parseTerminalSize(d);
      if (s) session.resize(s);
    };

    // Text frames carry the same [channel][data] layout (ws hands them over as UTF-8 bytes).
    ws.on('message', (raw: Buffer | ArrayBuffer | Buffer[]) => {
      const data = Array.isArray(raw) ? Buffer.concat(raw) : Buffer.isBuffer(raw) ? raw : Buffer.from(raw);
      if (data.length === 0) return;
      const ch = data[0];
      const payload = data.subarray(1);
      if (ch === Channel.stdin) {
        if (payload.length) stdinWrite(payload);
      } else if (ch === Channel.resize) {
        doResize(payload);
      } else if (ch === Channel.close && o.protocol === StreamProtocolV5) {
        if (payload[0] === Channel.stdin) stdinWrite(null);
      }
    });

    const finish = (payload: Buffer | undefined) => {
      if (closed) return;
      const end = () => {
        if (!closed && ws.readyState === ws.OPEN) ws.close(1000);
      };
      if (payload) send(Channel.error, payload, end);
      else end();
    };

    ws.on('close', () => {
      closed = true;
      session?.close();
      resolve();
    });
    ws.on('error', () => {
      /* 'close' follows */
    });

    const pump = (src: NodeJS.ReadableStream | undefined, channel: number): Promise<void> => {
      if (!src) return Promise.resolve();
      return new Promise<void>((done) => {
        src.on('data', (c: Buffer | string) => {
          const b = typeof c === 'string' ? Buffer.from(c) : c;
          send(channel, b, () => {
            if (src.isPaused() && ws.bufferedAmount < HIGH_WATER) src.resume();
          });
          if (ws.bufferedAmount >= HIGH_WATER) src.pause();
        });
        src.on('end', () => done());
        src.on('close', () => done());
        src.on('error', () => done());
      });
    };

    o.start().then(
      async (s) => {
        session = s;
        if (closed) return s.close();
        if (!o.opts.stdin) s.stdin?.end();
        for (const d of pendingStdin.splice(0)) stdinWrite(d);
        for (const d of pendingResize.splice(0)) doResize(d);
        const outputs = Promise.all([pump(s.stdout, Channel.stdout), pump(s.stderr, Channel.stderr)]);
        let code: number;
        try {
          code = await s.wait();
        } catch (e) {
          await outputs;
          return finish(errorChannelPayload(o.protocol, internalErrorStatus((e as Error).message)));
        }
        // Let the last output through before the Status.
        await Promise.race([outputs, new Promise((r) => setTimeout(r, 2000))]);
        finish(errorChannelPayload(o.protocol, exitCodeStatus(code, o.command ?? o.opts.command)));
      },
      (e: Error) => finish(errorChannelPayload(o.protocol, internalErrorStatus(e.message))),
    );
  });
}
