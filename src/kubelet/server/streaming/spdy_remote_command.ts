// Remote command over a SPDY upgrade (kubectl 1.27–1.29, and newer ones falling back): the client opens
// one stream per channel (streamType error, stdin, stdout, stderr, resize); we wait for the ones its
// options need, run the session, then write the Status on the error stream and close.
import type { SpdyConnection, SpdyStream } from './spdy/connection.js';
import { errorChannelPayload, exitCodeStatus, internalErrorStatus } from './exit_status.js';
import { StreamType, TerminalSizeDecoder, type RemoteCommandOptions } from './protocols.js';
import type { ProcessSession } from './session.js';

const STREAM_WAIT_MS = 30_000;

export function serveRemoteCommandSpdy(conn: SpdyConnection, protocol: string, opts: RemoteCommandOptions, start: () => Promise<ProcessSession>): void {
  const streams = new Map<string, SpdyStream>();
  const expected = [
    StreamType.error,
    ...(opts.stdin ? [StreamType.stdin] : []),
    ...(opts.stdout ? [StreamType.stdout] : []),
    ...(opts.stderr ? [StreamType.stderr] : []),
  ];
  let started = false;
  const timer = setTimeout(() => conn.close(), STREAM_WAIT_MS);
  const maybeStart = () => {
    if (started || !expected.every((t) => streams.has(t))) return;
    // The resize stream comes with a TTY on v3+, right after the others; it is optional.
    started = true;
    clearTimeout(timer);
    void run();
  };
  conn.on('stream', (s) => {
    s.reply();
    s.on('error', () => {});
    const t = s.headers['streamtype'] ?? '';
    streams.set(t, s);
    if (t === StreamType.resize) {
      const dec = new TerminalSizeDecoder();
      s.on('data', (d: Buffer) => {
        for (const size of dec.push(d)) session?.resize(size);
      });
    }
    maybeStart();
  });
  conn.on('close', () => {
    clearTimeout(timer);
    session?.close();
  });
  let session: ProcessSession | undefined;

  const finish = (payload: Buffer | undefined) => {
    const err = streams.get(StreamType.error)!;
    const closeAll = () => setTimeout(() => conn.close(), 100);
    if (payload) err.end(payload, closeAll);
    else err.end(closeAll);
  };

  async function run(): Promise<void> {
    try {
      session = await start();
    } catch (e) {
      return finish(errorChannelPayload(protocol, internalErrorStatus((e as Error).message)));
    }
    const s = session;
    const stdin = streams.get(StreamType.stdin);
    if (stdin && s.stdin) stdin.pipe(s.stdin);
    else s.stdin?.end();
    const outs: Promise<void>[] = [];
    const pipeOut = (src: NodeJS.ReadableStream | undefined, dst: SpdyStream | undefined) => {
      if (!src) return;
      outs.push(
        new Promise<void>((resolve) => {
          if (!dst) {
            src.resume();
            src.on('end', resolve);
            return;
          }
          // Done when the stream has handed every byte to the connection (and sent its FIN), not when the
          // process's pipe ended: closing the connection earlier would drop output still queued in the stream.
          src.pipe(dst);
          dst.on('finish', resolve);
          dst.on('close', resolve);
          src.on('error', resolve);
        }),
      );
    };
    pipeOut(s.stdout, streams.get(StreamType.stdout));
    pipeOut(s.stderr, streams.get(StreamType.stderr));
    let code: number;
    try {
      code = await s.wait();
    } catch (e) {
      return finish(errorChannelPayload(protocol, internalErrorStatus((e as Error).message)));
    }
    await Promise.race([Promise.all(outs), new Promise((r) => setTimeout(r, 2000))]);
    finish(errorChannelPayload(protocol, exitCodeStatus(code, opts.command)));
  }
}
