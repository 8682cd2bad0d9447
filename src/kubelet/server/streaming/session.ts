// What the protocol handlers drive: a process session (exec or attach) with byte streams, resize and
// exit code, and the backend that opens them and port connections for one pod.
import type { Duplex, Readable, Writable } from 'node:stream';
import type { TerminalSize } from './protocols.js';

export interface ProcessSession {
  /** Present when stdin was requested. end() half-closes the process's stdin. */
  stdin?: Writable;
  stdout?: Readable;
  /** Absent with a TTY (merged into stdout). */
  stderr?: Readable;
  resize(size: TerminalSize): void;
  /** Exit code (attach: the container's, or 0 when the attach ends first). */
  wait(): Promise<number>;
  /** Stop the session (exec: SIGKILL the exec'd process; attach: detach). */
  close(): void;
}

export interface SessionOptions {
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
  /** Initial terminal size, when known. */
  size?: TerminalSize;
}

/** Everything the streaming handlers need from the node, resolved per request. */
export interface StreamingBackend {
  exec(target: ContainerRef, command: string[], o: SessionOptions): Promise<ProcessSession>;
  attach(target: ContainerRef, o: SessionOptions): Promise<ProcessSession>;
  /** A TCP connection to `port` inside the pod's network namespace. */
  dialPod(pod: PodRef, port: number): Promise<Duplex>;
  /** Optional early check that the pod can be forwarded into (throws StreamingError). */
  checkPod?(pod: PodRef): Promise<void>;
}

export interface ContainerRef {
  namespace: string;
  pod: string;
  uid?: string;
  container?: string;
}

export interface PodRef {
  namespace: string;
  pod: string;
  uid?: string;
}

/** A request the node cannot serve: answered with `statusCode` and `message` (plain text) before upgrading. */
export class StreamingError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
    this.name = 'StreamingError';
  }
}
