// Writing responses: JSON bodies, Status errors, warning headers.
import type { ServerResponse } from 'node:http';
import { StatusError, internalError } from '../api/errors.js';
import type { Status } from '../api/types.js';

export function writeJSON(res: ServerResponse, code: number, body: unknown, contentType = 'application/json'): void {
  const data = JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(data), 'Cache-Control': 'no-cache, private' });
  res.end(data);
}

/** Above this many bytes of items a list body is sent in pieces, not as one buffer of the whole body. */
const RAW_LIST_PIECE_BYTES = 8 * 1024 * 1024;
const COMMA = Buffer.from(',');

/** How long a big list body is written before other work gets the event loop. */
const PIECES_SLICE_MS = 8;

/**
 * A list body spliced from stored item JSON bytes: `head` + items joined by commas + `]}`. Small lists go in
 * one write with a Content-Length; big ones (150,000 pods are ~600 MB) chunked, piece by piece as the socket
 * drains, so the whole body is never one buffer. A socket that takes every piece at once (a fast reader on
 * loopback) never asks to wait for drain, so the pieces also pause every few milliseconds: without that one
 * 61 MB list held the event loop for 140 ms.
 */
export async function writeRawList(res: ServerResponse, head: string, items: Buffer[]): Promise<void> {
  let bytes = head.length + 2;
  for (const it of items) bytes += it.length + 1;
  const headers = { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' };
  if (bytes <= RAW_LIST_PIECE_BYTES) {
    const parts: Buffer[] = [Buffer.from(head, 'utf8')];
    for (let i = 0; i < items.length; i++) {
      if (i > 0) parts.push(COMMA);
      parts.push(items[i]!);
    }
    parts.push(Buffer.from(']}'));
    const body = Buffer.concat(parts);
    res.writeHead(200, { ...headers, 'Content-Length': body.length });
    res.end(body);
    return;
  }
  res.writeHead(200, headers);
  let piece: Buffer[] = [Buffer.from(head, 'utf8')];
  let pieceBytes = piece[0]!.length;
  let sliceStart = performance.now();
  for (let i = 0; i < items.length; i++) {
    if (i > 0) piece.push(COMMA);
    piece.push(items[i]!);
    pieceBytes += items[i]!.length + 1;
    if (pieceBytes < RAW_LIST_PIECE_BYTES / 8) continue;
    if (!res.write(Buffer.concat(piece))) {
      await drainedOrClosed(res);
      sliceStart = performance.now();
    } else if (performance.now() - sliceStart > PIECES_SLICE_MS) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      sliceStart = performance.now();
    }
    if (res.destroyed) return;
    piece = [];
    pieceBytes = 0;
  }
  piece.push(Buffer.from(']}'));
  res.end(Buffer.concat(piece));
}

/** Resolves once `res` drains or closes (whichever comes first). */
export function drainedOrClosed(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

export function writeStatus(res: ServerResponse, status: Status): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  writeJSON(res, status.code, status);
}

export function toStatusError(e: unknown): StatusError {
  if (e instanceof StatusError) return e;
  return internalError(e instanceof Error ? e.message : String(e));
}

export function writeError(res: ServerResponse, e: unknown): void {
  writeStatus(res, toStatusError(e).status);
}

/** Adds a `Warning: 299 - "..."` header per message (RFC 7234 style, as upstream sends them), after any set before. */
export function addWarnings(res: ServerResponse, warnings: string[]): void {
  if (!warnings.length || res.headersSent) return;
  const had = res.getHeader('Warning');
  const before = had === undefined ? [] : Array.isArray(had) ? had : [String(had)];
  res.setHeader('Warning', [...before, ...warnings.map((w) => `299 - ${JSON.stringify(w)}`)]);
}

export function successStatus(details?: Status['details']): Status {
  const s: Status = { apiVersion: 'v1', kind: 'Status', metadata: {}, status: 'Success', code: 200 };
  if (details) s.details = details;
  return s;
}
