// The process the node agent starts inside a pod's network namespace (`nsenter --net=<netns> node
// netns_dial_helper.js`, with an IPC channel): connects to 127.0.0.1:<port> there on request and hands
// the connected socket back over the channel, so the agent reads the pod's TCP connection directly.
import net from 'node:net';

/** A dial request from the agent. */
export interface DialRequest {
  id: number;
  port: number;
}

/** The answer; on success the connected socket travels with it as the message's handle. */
export interface DialReply {
  id: number;
  /** errno code (ECONNREFUSED, ...) or message when the connection failed. */
  error?: string;
}

function dial(req: DialRequest): void {
  const s = new net.Socket();
  // Paused before connecting: nothing the pod sends is read here, every byte reaches the agent.
  s.pause();
  s.once('connect', () => {
    process.send!({ id: req.id } satisfies DialReply, s, {}, () => s.destroy());
  });
  s.once('error', (e: NodeJS.ErrnoException) => {
    process.send!({ id: req.id, error: e.code ?? e.message } satisfies DialReply);
    s.destroy();
  });
  s.connect({ host: '127.0.0.1', port: req.port });
}

if (process.send) {
  process.on('message', (m: DialRequest) => {
    if (m && typeof m.id === 'number' && Number.isInteger(m.port) && m.port > 0 && m.port < 65536) dial(m);
  });
  // The agent went away (or let us go): nothing more to dial.
  process.on('disconnect', () => process.exit(0));
}
