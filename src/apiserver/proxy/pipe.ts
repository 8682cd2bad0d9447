// Byte relay for upgraded streams: like `src.pipe(dst)`, but chunks arriving in the same tick (a SPDY or
// WebSocket frame header and its payload) leave corked, as one writev on the destination socket.
import type { Duplex, Readable, Writable } from 'node:stream';

/** Bytes queued on `dst` before `src` is paused (sockets' own 16 KiB mark would pause every chunk). */
const MAX_QUEUED = 1024 * 1024;

/** Relay `src` into `dst` with backpressure; `dst` is ended when `src` ends. */
export function pipeCorked(src: Readable | Duplex, dst: Writable | Duplex): void {
  let corked = false;
  const uncork = () => {
    corked = false;
    dst.uncork();
  };
  const onDrain = () => src.resume();
  src.on('data', (chunk: Buffer) => {
    if (!corked) {
      corked = true;
      dst.cork();
      process.nextTick(uncork);
    }
    if (!dst.write(chunk) && dst.writableLength >= MAX_QUEUED) src.pause();
  });
  dst.on('drain', onDrain);
  src.once('end', () => {
    if (!dst.writableEnded && !dst.destroyed) dst.end();
  });
}
