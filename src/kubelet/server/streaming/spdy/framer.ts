// SPDY/3.1 frame codec (the framing kubectl's spdystream speaks): control and data frames, and the
// name/value header blocks compressed with one zlib context per direction for the whole connection.
import zlib from 'node:zlib';
import { SPDY3_DICTIONARY } from './dictionary.js';

export const FrameType = {
  synStream: 1,
  synReply: 2,
  rstStream: 3,
  settings: 4,
  ping: 6,
  goAway: 7,
  headers: 8,
  windowUpdate: 9,
} as const;

export const FLAG_FIN = 0x01;
export const RstStatus = { protocolError: 1, invalidStream: 2, refusedStream: 3, cancel: 5, internalError: 6, streamAlreadyClosed: 9 } as const;

export type Headers = Record<string, string>;

export type Frame =
  | { kind: 'data'; streamId: number; flags: number; data: Buffer }
  | { kind: 'synStream'; streamId: number; associatedId: number; priority: number; flags: number; headers: Headers }
  | { kind: 'synReply'; streamId: number; flags: number; headers: Headers }
  | { kind: 'headers'; streamId: number; flags: number; headers: Headers }
  | { kind: 'rstStream'; streamId: number; status: number }
  | { kind: 'settings'; entries: { flags: number; id: number; value: number }[] }
  | { kind: 'ping'; id: number }
  | { kind: 'goAway'; lastGoodStreamId: number; status: number }
  | { kind: 'windowUpdate'; streamId: number; delta: number }
  | { kind: 'unknown'; type: number };

export class SpdyProtocolError extends Error {}

/** Adler-32 (zlib's checksum; the zlib header names the preset dictionary by it). */
export function adler32(b: Buffer): number {
  let a = 1;
  let c = 0;
  for (let i = 0; i < b.length; i++) {
    a = (a + b[i]) % 65521;
    c = (c + a) % 65521;
  }
  return ((c << 16) | a) >>> 0;
}

/**
 * The sending side's header compression: one zlib stream for the connection, made of stored
 * (uncompressed) deflate blocks, so every header block ends byte-aligned like a sync flush. Valid for
 * any inflater primed with the SPDY dictionary; header blocks are tiny, so compression buys nothing.
 */
export class StoredZlibWriter {
  private started = false;
  constructor(private readonly dictionary: Buffer) {}
  write(data: Buffer): Buffer {
    const parts: Buffer[] = [];
    if (!this.started) {
      this.started = true;
      // CMF 0x78 (deflate, 32K window); FLG with FDICT, FCHECK making (CMF*256+FLG) % 31 == 0.
      let flg = 0x20;
      flg += 31 - ((0x78 * 256 + flg) % 31);
      const hdr = Buffer.alloc(6);
      hdr[0] = 0x78;
      hdr[1] = flg;
      hdr.writeUInt32BE(adler32(this.dictionary), 2);
      parts.push(hdr);
    }
    for (let off = 0; off < data.length || off === 0; off += 65535) {
      const chunk = data.subarray(off, off + 65535);
      const h = Buffer.alloc(5);
      h[0] = 0x00; // BFINAL=0, BTYPE=00 (stored), padded to the byte boundary
      h.writeUInt16LE(chunk.length, 1);
      h.writeUInt16LE(~chunk.length & 0xffff, 3);
      parts.push(h, chunk);
      if (data.length === 0) break;
    }
    // The empty stored block a sync flush ends with: inflaters hand out the data before it.
    parts.push(Buffer.from([0x00, 0x00, 0x00, 0xff, 0xff]));
    return Buffer.concat(parts);
  }
}

/** The receiving side's header decompression: one streaming inflater, flushed per header block. */
export class HeaderInflater {
  private readonly z = zlib.createInflate({ dictionary: SPDY3_DICTIONARY });
  private out: Buffer[] = [];
  private failed?: Error;
  constructor() {
    this.z.on('data', (d: Buffer) => this.out.push(d));
    this.z.on('error', (e) => (this.failed = e));
  }
  /** Calls must not overlap (the connection processes frames one at a time). */
  inflate(block: Buffer): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      if (this.failed) return reject(new SpdyProtocolError(`header decompression failed: ${this.failed.message}`));
      this.z.write(block);
      this.z.flush(zlib.constants.Z_SYNC_FLUSH, () => {
        if (this.failed) return reject(new SpdyProtocolError(`header decompression failed: ${this.failed.message}`));
        const r = Buffer.concat(this.out);
        this.out = [];
        resolve(r);
      });
    });
  }
}

/** Encode name/value pairs (names lower-cased; multi-values joined by NUL) into an uncompressed block. */
export function encodeHeaderBlock(h: Headers): Buffer {
  const entries = Object.entries(h);
  const parts: Buffer[] = [];
  const n = Buffer.alloc(4);
  n.writeUInt32BE(entries.length);
  parts.push(n);
  for (const [k, v] of entries) {
    const name = Buffer.from(k.toLowerCase(), 'utf8');
    const val = Buffer.from(v, 'utf8');
    const ln = Buffer.alloc(4);
    ln.writeUInt32BE(name.length);
    const lv = Buffer.alloc(4);
    lv.writeUInt32BE(val.length);
    parts.push(ln, name, lv, val);
  }
  return Buffer.concat(parts);
}

export function decodeHeaderBlock(b: Buffer): Headers {
  if (b.length < 4) throw new SpdyProtocolError('header block too short');
  const count = b.readUInt32BE(0);
  let off = 4;
  const out: Headers = {};
  const take = (): string => {
    if (off + 4 > b.length) throw new SpdyProtocolError('truncated header block');
    const n = b.readUInt32BE(off);
    off += 4;
    if (off + n > b.length) throw new SpdyProtocolError('truncated header block');
    const s = b.subarray(off, off + n).toString('utf8');
    off += n;
    return s;
  };
  for (let i = 0; i < count; i++) {
    const k = take().toLowerCase();
    const v = take();
    out[k] = out[k] !== undefined ? `${out[k]}\0${v}` : v;
  }
  return out;
}

/** Encodes frames for one direction of a connection (owns the header compressor). */
export class FrameWriter {
  private readonly deflate = new StoredZlibWriter(SPDY3_DICTIONARY);

  private compress(h: Headers): Buffer {
    return this.deflate.write(encodeHeaderBlock(h));
  }

  private control(type: number, flags: number, body: Buffer): Buffer {
    const hdr = Buffer.alloc(8);
    hdr.writeUInt16BE(0x8000 | 3, 0);
    hdr.writeUInt16BE(type, 2);
    hdr.writeUInt32BE(((flags & 0xff) << 24) | (body.length & 0xffffff), 4);
    return Buffer.concat([hdr, body]);
  }

  data(streamId: number, data: Buffer, fin = false): Buffer {
    const hdr = this.dataHeader(streamId, data.length, fin);
    return data.length ? Buffer.concat([hdr, data]) : hdr;
  }

  /** The 8-byte header of a DATA frame carrying `length` bytes (sent ahead of the payload, uncopied). */
  dataHeader(streamId: number, length: number, fin = false): Buffer {
    const hdr = Buffer.allocUnsafe(8);
    hdr.writeUInt32BE(streamId & 0x7fffffff, 0);
    hdr.writeUInt32BE(((fin ? FLAG_FIN : 0) << 24) | (length & 0xffffff), 4);
    return hdr;
  }

  synStream(streamId: number, headers: Headers, fin = false, associatedId = 0): Buffer {
    const fixed = Buffer.alloc(10);
    fixed.writeUInt32BE(streamId & 0x7fffffff, 0);
    fixed.writeUInt32BE(associatedId & 0x7fffffff, 4);
    return this.control(FrameType.synStream, fin ? FLAG_FIN : 0, Buffer.concat([fixed, this.compress(headers)]));
  }

  synReply(streamId: number, headers: Headers, fin = false): Buffer {
    const id = Buffer.alloc(4);
    id.writeUInt32BE(streamId & 0x7fffffff);
    return this.control(FrameType.synReply, fin ? FLAG_FIN : 0, Buffer.concat([id, this.compress(headers)]));
  }

  rstStream(streamId: number, status: number): Buffer {
    const b = Buffer.alloc(8);
    b.writeUInt32BE(streamId & 0x7fffffff, 0);
    b.writeUInt32BE(status, 4);
    return this.control(FrameType.rstStream, 0, b);
  }

  ping(id: number): Buffer {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(id >>> 0);
    return this.control(FrameType.ping, 0, b);
  }

  goAway(lastGoodStreamId: number, status = 0): Buffer {
    const b = Buffer.alloc(8);
    b.writeUInt32BE(lastGoodStreamId & 0x7fffffff, 0);
    b.writeUInt32BE(status, 4);
    return this.control(FrameType.goAway, 0, b);
  }

  windowUpdate(streamId: number, delta: number): Buffer {
    const b = Buffer.alloc(8);
    b.writeUInt32BE(streamId & 0x7fffffff, 0);
    b.writeUInt32BE(delta & 0x7fffffff, 4);
    return this.control(FrameType.windowUpdate, 0, b);
  }

  settings(entries: { flags?: number; id: number; value: number }[]): Buffer {
    const b = Buffer.alloc(4 + 8 * entries.length);
    b.writeUInt32BE(entries.length, 0);
    entries.forEach((e, i) => {
      b.writeUInt32BE((((e.flags ?? 0) & 0xff) << 24) | (e.id & 0xffffff), 4 + i * 8);
      b.writeUInt32BE(e.value >>> 0, 8 + i * 8);
    });
    return this.control(FrameType.settings, 0, b);
  }
}

const EMPTY = Buffer.alloc(0);

/** Decodes frames from one direction's byte stream (owns the header decompressor); feed bytes in any chunking. */
export class FrameReader {
  private readonly inflater = new HeaderInflater();
  private buf: Buffer = EMPTY;
  /** Chunks of an incomplete frame (the first starts with its header), and the bytes it needs. */
  private held: Buffer[] = [];
  private heldBytes = 0;
  private heldNeed = 0;
  /** Largest frame accepted (the 24-bit length allows 16 MiB). */
  maxFrameBytes = 16 * 1024 * 1024;

  private async headers(block: Buffer): Promise<Headers> {
    if (block.length === 0) return {};
    return decodeHeaderBlock(await this.inflater.inflate(block));
  }

  /**
   * Append bytes; resolves with every complete frame now available (rejects with SpdyProtocolError on
   * garbage). Calls must be serialized: await one before pushing the next chunk.
   */
  async push(chunk: Buffer): Promise<Frame[]> {
    const out: Frame[] = [];
    if (this.held.length) {
      // An incomplete frame is waiting: gather chunks until it is whole, then join them once.
      this.held.push(chunk);
      this.heldBytes += chunk.length;
      if (this.heldBytes < this.heldNeed) return out;
      this.buf = Buffer.concat(this.held, this.heldBytes);
      this.held = [];
      this.heldBytes = 0;
    } else {
      this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    }
    while (this.buf.length >= 8) {
      const len = this.buf.readUInt32BE(4) & 0xffffff;
      if (len > this.maxFrameBytes) throw new SpdyProtocolError(`frame of ${len} bytes is too large`);
      if (this.buf.length < 8 + len) {
        this.held = [this.buf];
        this.heldBytes = this.buf.length;
        this.heldNeed = 8 + len;
        this.buf = EMPTY;
        break;
      }
      const flags = this.buf[4];
      const body = this.buf.subarray(8, 8 + len);
      const control = (this.buf[0] & 0x80) !== 0;
      if (!control) {
        // A view, not a copy: pushed chunks must not be modified afterwards (socket and WebSocket reads
        // are fresh buffers).
        out.push({ kind: 'data', streamId: this.buf.readUInt32BE(0) & 0x7fffffff, flags, data: body });
      } else {
        const version = this.buf.readUInt16BE(0) & 0x7fff;
        if (version !== 3) throw new SpdyProtocolError(`unsupported SPDY version ${version}`);
        const type = this.buf.readUInt16BE(2);
        const rest = this.buf.subarray(8 + len);
        out.push(await this.control(type, flags, Buffer.from(body)));
        this.buf = rest;
        continue;
      }
      this.buf = this.buf.subarray(8 + len);
    }
    return out;
  }

  private async control(type: number, flags: number, body: Buffer): Promise<Frame> {
    const need = (n: number) => {
      if (body.length < n) throw new SpdyProtocolError(`control frame type ${type} too short`);
    };
    switch (type) {
      case FrameType.synStream:
        need(10);
        return {
          kind: 'synStream',
          streamId: body.readUInt32BE(0) & 0x7fffffff,
          associatedId: body.readUInt32BE(4) & 0x7fffffff,
          priority: body[8] >> 5,
          flags,
          headers: await this.headers(body.subarray(10)),
        };
      case FrameType.synReply:
        need(4);
        return { kind: 'synReply', streamId: body.readUInt32BE(0) & 0x7fffffff, flags, headers: await this.headers(body.subarray(4)) };
      case FrameType.headers:
        need(4);
        return { kind: 'headers', streamId: body.readUInt32BE(0) & 0x7fffffff, flags, headers: await this.headers(body.subarray(4)) };
      case FrameType.rstStream:
        need(8);
        return { kind: 'rstStream', streamId: body.readUInt32BE(0) & 0x7fffffff, status: body.readUInt32BE(4) };
      case FrameType.settings: {
        need(4);
        const n = body.readUInt32BE(0);
        need(4 + n * 8);
        const entries = [];
        for (let i = 0; i < n; i++) {
          const fid = body.readUInt32BE(4 + i * 8);
          entries.push({ flags: fid >>> 24, id: fid & 0xffffff, value: body.readUInt32BE(8 + i * 8) });
        }
        return { kind: 'settings', entries };
      }
      case FrameType.ping:
        need(4);
        return { kind: 'ping', id: body.readUInt32BE(0) };
      case FrameType.goAway:
        need(8);
        return { kind: 'goAway', lastGoodStreamId: body.readUInt32BE(0) & 0x7fffffff, status: body.readUInt32BE(4) };
      case FrameType.windowUpdate:
        need(8);
        return { kind: 'windowUpdate', streamId: body.readUInt32BE(0) & 0x7fffffff, delta: body.readUInt32BE(4) & 0x7fffffff };
      default:
        return { kind: 'unknown', type };
    }
  }
}
