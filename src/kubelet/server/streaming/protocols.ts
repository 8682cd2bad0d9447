// Remote command (exec/attach) and port-forward sub-protocol names and channel numbers as kubectl
// negotiates them, and the server's choice among the client's offers.

export const StreamProtocolV1 = 'channel.k8s.io';
export const StreamProtocolV2 = 'v2.channel.k8s.io';
export const StreamProtocolV3 = 'v3.channel.k8s.io';
export const StreamProtocolV4 = 'v4.channel.k8s.io';
export const StreamProtocolV5 = 'v5.channel.k8s.io';

/** Remote command protocols we serve over WebSocket, most preferred first. */
export const REMOTE_COMMAND_WS_PROTOCOLS = [StreamProtocolV5, StreamProtocolV4, StreamProtocolV3, StreamProtocolV2, StreamProtocolV1];
/** Remote command protocols we serve over a SPDY upgrade (X-Stream-Protocol-Version), most preferred first. */
export const REMOTE_COMMAND_SPDY_PROTOCOLS = [StreamProtocolV4, StreamProtocolV3, StreamProtocolV2, StreamProtocolV1];

/** kubectl 1.31+ port-forward: SPDY/3.1 frames tunnelled in binary WebSocket messages. */
export const PortForwardTunnelProtocol = 'SPDY/3.1+portforward.k8s.io';
/** Port-forward over a SPDY upgrade (X-Stream-Protocol-Version) and over plain WebSocket channels. */
export const PortForwardProtocolV1 = 'portforward.k8s.io';
export const PortForwardWSProtocolV4 = 'v4.channel.k8s.io';

export const Channel = {
  stdin: 0,
  stdout: 1,
  stderr: 2,
  error: 3,
  resize: 4,
  /** v5: `[255, channel]` half-closes that channel (the client's stdin). */
  close: 255,
} as const;

/** The SPDY streamType header values of remote command and port-forward streams. */
export const StreamType = {
  stdin: 'stdin',
  stdout: 'stdout',
  stderr: 'stderr',
  error: 'error',
  resize: 'resize',
  data: 'data',
} as const;

/** Split a comma-separated Sec-WebSocket-Protocol / X-Stream-Protocol-Version header (or several) into names. */
export function offeredProtocols(header: string | string[] | undefined): string[] {
  const all = Array.isArray(header) ? header : header ? [header] : [];
  return all
    .flatMap((h) => h.split(','))
    .map((s) => s.trim())
    .filter(Boolean);
}

/** The first of our `supported` protocols (in our preference order) that the client offers; undefined when none. */
export function negotiateProtocol(offered: Iterable<string>, supported: readonly string[]): string | undefined {
  const set = new Set(offered);
  return supported.find((p) => set.has(p));
}

export interface TerminalSize {
  width: number;
  height: number;
}

/** Decode a resize message (`{"Width":80,"Height":24}`); undefined when malformed. */
export function parseTerminalSize(data: Buffer | string): TerminalSize | undefined {
  try {
    const v = JSON.parse(typeof data === 'string' ? data : data.toString('utf8')) as { Width?: unknown; Height?: unknown };
    const w = Number(v.Width);
    const h = Number(v.Height);
    if (!Number.isInteger(w) || !Number.isInteger(h) || w < 0 || h < 0 || w > 65535 || h > 65535) return undefined;
    return { width: w, height: h };
  } catch {
    return undefined;
  }
}

/** Split concatenated resize JSON objects as they arrive on a byte stream (SPDY resize stream). */
export class TerminalSizeDecoder {
  private buf = '';
  push(chunk: Buffer | string): TerminalSize[] {
    this.buf += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    const out: TerminalSize[] = [];
    let depth = 0;
    let start = -1;
    let inStr = false;
    let consumed = 0;
    for (let i = 0; i < this.buf.length; i++) {
      const c = this.buf[i];
      if (inStr) {
        if (c === '\\') i++;
        else if (c === '"') inStr = false;
        continue;
      }
      if (c === '"') inStr = true;
      else if (c === '{') {
        if (depth === 0) start = i;
        depth++;
      } else if (c === '}') {
        depth--;
        if (depth === 0 && start >= 0) {
          const s = parseTerminalSize(this.buf.slice(start, i + 1));
          if (s) out.push(s);
          consumed = i + 1;
          start = -1;
        }
      }
    }
    this.buf = this.buf.slice(consumed);
    if (this.buf.length > 4096) this.buf = '';
    return out;
  }
}

/** Remote command query options (upstream's NewOptions from the request). */
export interface RemoteCommandOptions {
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
  command: string[];
}

function flag(q: URLSearchParams, ...names: string[]): boolean {
  for (const n of names) {
    const v = q.get(n);
    if (v !== null) return v === '' || v === '1' || v.toLowerCase() === 'true';
  }
  return false;
}

/** Parse exec/attach options; `stderr` is dropped with a TTY (the terminal merges it into stdout). */
export function remoteCommandOptions(q: URLSearchParams): RemoteCommandOptions {
  const tty = flag(q, 'tty');
  const o: RemoteCommandOptions = {
    stdin: flag(q, 'stdin', 'input'),
    stdout: flag(q, 'stdout', 'output'),
    stderr: flag(q, 'stderr', 'error'),
    tty,
    command: q.getAll('command'),
  };
  if (tty && o.stderr) o.stderr = false;
  return o;
}
