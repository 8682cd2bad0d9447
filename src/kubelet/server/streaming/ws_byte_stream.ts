// A byte Duplex over binary WebSocket messages (the SPDY port-forward tunnel's transport): reads are
// message payloads; corked writes (a SPDY header and its payload) leave as one fragmented message in a
// single writev on the socket, without copying the payload. Ends like ws's createWebSocketStream.
import { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';

/** The upgraded socket under the WebSocket (corked around a message's fragments). */
export interface Corkable {
  cork(): void;
  uncork(): void;
}

export class WebSocketByteStream extends Duplex {
  constructor(
    private readonly ws: WebSocket,
    private readonly socket?: Corkable,
  ) {
    super({ allowHalfOpen: false, writableHighWaterMark: 256 * 1024, readableHighWaterMark: 256 * 1024 });
    ws.on('message', (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) => {
      if (!isBinary) return;
      const b = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
      if (b.length && !this.push(b)) ws.pause();
    });
    ws.once('close', () => {
      if (!this.readableEnded) this.push(null);
      if (!this.destroyed) this.destroy();
    });
    ws.on('error', (e) => this.destroy(e));
  }

  override _read(): void {
    if (this.ws.isPaused) this.ws.resume();
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this._writev([{ chunk }], cb);
  }

  override _writev(chunks: { chunk: Buffer }[], cb: (err?: Error | null) => void): void {
    if (this.ws.readyState !== this.ws.OPEN) return cb(new Error('websocket is not open'));
    const last = chunks.length - 1;
    this.socket?.cork();
    try {
      chunks.forEach(({ chunk }, i) => this.ws.send(chunk, { binary: true, fin: i === last }, i === last ? (e) => cb(e ?? null) : undefined));
    } finally {
      this.socket?.uncork();
    }
  }

  override _final(cb: (err?: Error | null) => void): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.close(1000);
    cb();
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    if (this.ws.readyState === this.ws.CONNECTING || this.ws.readyState === this.ws.OPEN) this.ws.close(1000);
    // A peer that never answers the close is cut off.
    if (this.ws.readyState !== this.ws.CLOSED) setTimeout(() => this.ws.terminate(), 1000).unref();
    cb(err);
  }
}
