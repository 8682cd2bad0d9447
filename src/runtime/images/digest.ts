// sha256 digests of buffers, files and streams, and validation of "sha256:<hex>" strings.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Transform, type TransformCallback } from 'node:stream';

const SHA256 = /^sha256:[a-f0-9]{64}$/;

export function isSha256Digest(d: string): boolean {
  return SHA256.test(d);
}

export function sha256Digest(data: Buffer | string): string {
  return 'sha256:' + createHash('sha256').update(data).digest('hex');
}

/** Hex part of a "sha256:<hex>" digest (throws on anything else, so it is safe to use in file paths). */
export function digestHex(digest: string): string {
  if (!SHA256.test(digest)) throw new Error(`unsupported or malformed digest "${digest}"`);
  return digest.slice('sha256:'.length);
}

export async function sha256File(file: string): Promise<{ digest: string; size: number }> {
  const h = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(file)) {
    h.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { digest: 'sha256:' + h.digest('hex'), size };
}

/** Pass-through stream that hashes what flows through it; `digest()` is valid after the end. */
export class DigestingStream extends Transform {
  private readonly hash = createHash('sha256');
  bytes = 0;
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    cb(null, chunk);
  }
  digest(): string {
    return 'sha256:' + this.hash.digest('hex');
  }
}
