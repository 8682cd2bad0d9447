// A server-side SPDY/3.1 connection over any byte Duplex (a raw upgraded socket, or a WebSocket tunnel):
// accepts the client's streams (SYN_STREAM → 'stream' event, answered with SYN_REPLY), carries DATA
// with FIN half-close, RST_STREAM, PING echo and GOAWAY. Like spdystream, it does no flow control.
import { EventEmitter } from 'node:events';
import { Duplex } from 'node:stream';
import { FLAG_FIN, FrameReader, FrameWriter, RstStatus, SpdyProtocolError, type Frame, type Headers } from './framer.js';
import { errMessage, logger } from '../../../../log/logger.js';

// A decoding bug (not a peer's protocol error) is worth an error line; connections carry no logger of their own.
const log = logger('kubelet', { subsystem: 'spdy' });

/** Largest DATA payload we send in one frame. */
const MAX_DATA = 256 * 1024;
/** Bytes a stream buffers before its writer (a pod socket piped in) is paused: a few socket reads. */
const STREAM_WRITE_BUFFER = 1024 * 1024;

export class SpdyStream extends Duplex {
  private replied = false;
  private localFin = false;
  remoteFin = false;

  constructor(
    private readonly conn: SpdyConnection,
    readonly id: number,
    readonly headers: Headers,
  ) {
    super({ allowHalfOpen: true, writableHighWaterMark: STREAM_WRITE_BUFFER });
  }

  /** SYN_REPLY (idempotent); streams are replied to when accepted. */
  reply(headers: Headers = {}): void {
    if (this.replied) return;
    this.replied = true;
    this.conn.send(this.conn.writer.synReply(this.id, headers));
  }

  /** RST_STREAM and drop the stream. */
  reset(status: number = RstStatus.cancel): void {
    if (!this.conn.closed && !this.rstSent) this.conn.send(this.conn.writer.rstStream(this.id, status));
    this.rstSent = true;
    this.conn.forget(this.id);
    this.destroy();
  }

  private rstSent = false;

  /** @internal */
  onData(data: Buffer, fin: boolean): void {
    if (data.length) this.push(data);
    if (fin && !this.remoteFin) {
      this.remoteFin = true;
      this.push(null);
    }
    this.maybeForget();
  }

  /** @internal */
  onReset(): void {
    this.remoteFin = true;
    this.localFin = true;
    this.conn.forget(this.id);
    this.destroy();
  }

  private maybeForget(): void {
    if (this.remoteFin && this.localFin) this.conn.forget(this.id);
  }

  override _read(): void {
    /* pushed from frames (no flow control, like spdystream) */
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this._writev([{ chunk }], cb);
  }

  /** Every queued chunk leaves as DATA frames in one corked write (one writev on the transport). */
  override _writev(chunks: { chunk: Buffer }[], cb: (err?: Error | null) => void): void {
    if (this.conn.closed) return cb(new Error('spdy connection closed'));
    this.reply();
    const parts: Buffer[] = [];
    for (const { chunk } of chunks) {
      for (let off = 0; off < chunk.length; off += MAX_DATA) parts.push(chunk.subarray(off, off + MAX_DATA));
    }
    this.conn.sendDataFrames(this.id, parts);
    this.conn.whenDrained(cb);
  }

  override _final(cb: (err?: Error | null) => void): void {
    if (!this.localFin && !this.conn.closed) {
      this.reply();
      this.localFin = true;
      this.conn.sendData(this.id, Buffer.alloc(0), true);
    }
    this.localFin = true;
    this.maybeForget();
    cb();
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    // Destroyed before both sides finished: tell the peer, or it waits for this stream forever.
    if (!this.rstSent && !(this.localFin && this.remoteFin) && !this.conn.closed) {
      this.rstSent = true;
      this.conn.send(this.conn.writer.rstStream(this.id, RstStatus.cancel));
    }
    this.conn.forget(this.id);
    cb(err);
  }
}

export interface SpdyConnectionEvents {
  stream: [SpdyStream];
  close: [];
}

export class SpdyConnection extends EventEmitter<SpdyConnectionEvents> {
  readonly writer = new FrameWriter();
  private readonly reader = new FrameReader();
  private readonly streams = new Map<number, SpdyStream>();
  private lastStreamId = 0;
  closed = false;

  constructor(private readonly transport: Duplex) {
    super();
    transport.on('data', (chunk: Buffer) => this.onBytes(chunk));
    transport.on('end', () => this.close());
    transport.on('close', () => this.close());
    transport.on('error', () => this.close());
  }

  /** @internal */
  send(frame: Buffer): void {
    if (this.closed) return;
    this.transport.write(frame);
  }

  /** @internal a DATA frame: header and payload written corked (one writev, no copy of the payload). */
  sendData(streamId: number, data: Buffer, fin = false): void {
    if (this.closed) return;
    const hdr = this.writer.dataHeader(streamId, data.length, fin);
    if (!data.length) {
      this.transport.write(hdr);
      return;
    }
    this.transport.cork();
    this.transport.write(hdr);
    this.transport.write(data);
    this.transport.uncork();
  }

  /** @internal several DATA frames (header before each payload) in one corked write. */
  sendDataFrames(streamId: number, payloads: Buffer[]): void {
    if (this.closed) return;
    this.transport.cork();
    for (const p of payloads) {
      if (!p.length) continue;
      this.transport.write(this.writer.dataHeader(streamId, p.length));
      this.transport.write(p);
    }
    this.transport.uncork();
  }

  /** @internal call back once the transport's buffer has room (backpressure for stream writes). */
  whenDrained(cb: (err?: Error | null) => void): void {
    if (this.closed) return cb(new Error('spdy connection closed'));
    if (!this.transport.writableNeedDrain) return cb();
    const done = () => {
      this.transport.off('drain', done);
      this.transport.off('close', done);
      cb(this.closed ? new Error('spdy connection closed') : null);
    };
    this.transport.on('drain', done);
    this.transport.on('close', done);
  }

  /** @internal */
  forget(id: number): void {
    this.streams.delete(id);
  }

  get openStreams(): number {
    return this.streams.size;
  }

  private chain: Promise<void> = Promise.resolve();

  /** Frames are decoded one chunk at a time, in order (header decompression is asynchronous). */
  private onBytes(chunk: Buffer): void {
    this.chain = this.chain.then(async () => {
      if (this.closed) return;
      let frames: Frame[];
      try {
        frames = await this.reader.push(chunk);
      } catch (e) {
        if (!(e instanceof SpdyProtocolError)) log.error({ err: errMessage(e) }, 'SPDY frame decoding failed');
        this.send(this.writer.goAway(this.lastStreamId, 1));
        this.close();
        return;
      }
      for (const f of frames) this.onFrame(f);
    });
  }

  private onFrame(f: Frame): void {
    switch (f.kind) {
      case 'synStream': {
        if (f.streamId <= this.lastStreamId || this.streams.has(f.streamId)) {
          this.send(this.writer.rstStream(f.streamId, RstStatus.protocolError));
          return;
        }
        this.lastStreamId = f.streamId;
        const s = new SpdyStream(this, f.streamId, f.headers);
        this.streams.set(f.streamId, s);
        if (f.flags & FLAG_FIN) s.onData(Buffer.alloc(0), true);
        this.emit('stream', s);
        return;
      }
      case 'data': {
        const s = this.streams.get(f.streamId);
        if (!s) return;
        s.onData(f.data, (f.flags & FLAG_FIN) !== 0);
        return;
      }
      case 'headers': {
        const s = this.streams.get(f.streamId);
        if (s && f.flags & FLAG_FIN) s.onData(Buffer.alloc(0), true);
        return;
      }
      case 'rstStream':
        this.streams.get(f.streamId)?.onReset();
        return;
      case 'ping':
        // Client pings are odd; echo them. (We never send our own.)
        if (f.id % 2 === 1) this.send(this.writer.ping(f.id));
        return;
      case 'goAway':
        // The client is done opening streams; finish when the open ones are done.
        if (this.streams.size === 0) this.close();
        return;
      default:
        return;
    }
  }

  /** GOAWAY, then end the transport and every stream. */
  close(): void {
    if (this.closed) return;
    try {
      this.transport.write(this.writer.goAway(this.lastStreamId, 0));
    } catch {
      /* transport gone */
    }
    this.closed = true;
    for (const s of [...this.streams.values()]) s.destroy();
    this.streams.clear();
    this.transport.end();
    setTimeout(() => this.transport.destroy(), 1000).unref();
    this.emit('close');
  }
}
