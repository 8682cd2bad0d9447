// TCP socket probe handler (upstream pkg/probe/tcp): Success when a connection opens within the timeout
// (even if the peer closes it at once), else Failure with a Go-like dial error.
import net from 'node:net';
import type { Container, TCPSocketAction } from '../../api/core/v1/types.js';
import { netErrorText } from './http_get.js';
import { joinHostPort, resolvePort } from './ports.js';
import type { ProbeOutcome } from './types.js';

export interface TCPProbeTarget {
  action: TCPSocketAction;
  container: Pick<Container, 'name' | 'ports'>;
  podIP?: string;
  timeoutSec: number;
}

export function runTCPProbe(t: TCPProbeTarget): Promise<ProbeOutcome> {
  const port = resolvePort(t.action.port, t.container);
  if (port instanceof Error) return Promise.resolve({ result: 'Unknown', output: port.message });
  const host = t.action.host || t.podIP;
  if (!host) return Promise.resolve({ result: 'Unknown', output: 'pod has no IP address yet' });
  return dialTCP(host, port, t.timeoutSec * 1000);
}

export function dialTCP(host: string, port: number, timeoutMs: number): Promise<ProbeOutcome> {
  const addr = joinHostPort(host, port);
  return new Promise((resolve) => {
    let settled = false;
    const sock = net.connect({ host, port });
    const settle = (o: ProbeOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      sock.removeAllListeners('connect');
      sock.on('error', () => {});
      sock.destroy();
      resolve(o);
    };
    const timer = setTimeout(() => settle({ result: 'Failure', output: `dial tcp ${addr}: i/o timeout` }), timeoutMs);
    sock.once('connect', () => settle({ result: 'Success', output: '' }));
    sock.once('error', (e: NodeJS.ErrnoException) => settle({ result: 'Failure', output: netErrorText(addr, e) }));
  });
}
