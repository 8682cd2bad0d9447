// A TCP connection to a port inside a pod's network namespace: `nsenter --net=<netns> socat` relays
// between its stdio and 127.0.0.1:<port> there (so ports bound to the pod's loopback work too).
// Host-network pods (no netns path) are dialled directly.
import { spawn } from 'node:child_process';
import net from 'node:net';
import { Duplex } from 'node:stream';

/** Resolves once connected; rejects with the relay's message when the port refuses. */
export function dialInNetns(netnsPath: string, port: number, timeoutMs = 10_000): Promise<Duplex> {
  if (!netnsPath) {
    return new Promise((resolve, reject) => {
      const s = net.connect({ host: '127.0.0.1', port });
      s.once('connect', () => resolve(s));
      s.once('error', (e) => reject(new Error(`dial tcp4 127.0.0.1:${port}: ${(e as NodeJS.ErrnoException).code === 'ECONNREFUSED' ? 'connect: connection refused' : e.message}`)));
    });
  }
  return new Promise((resolve, reject) => {
    const child = spawn('nsenter', [`--net=${netnsPath}`, 'socat', '-d', '-d', '-b', '131072', '-t', '5', 'STDIO', `TCP4:127.0.0.1:${port}`], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let errText = '';
    let settled = false;
    const timer = setTimeout(() => fail(`dial tcp4 127.0.0.1:${port}: i/o timeout`), timeoutMs);
    const fail = (msg: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(msg));
    };
    child.on('error', (e) => fail(`cannot start the port relay: ${e.message}`));
    child.stderr!.on('data', (d: Buffer) => {
      errText += d.toString();
      if (!settled && /starting data transfer loop/.test(errText)) {
        settled = true;
        clearTimeout(timer);
        errText = '';
        const duplex = Duplex.from({ readable: child.stdout!, writable: child.stdin! });
        child.stdin!.on('error', () => {});
        duplex.on('close', () => {
          if (child.exitCode === null) child.kill('SIGTERM');
        });
        resolve(duplex);
      }
    });
    child.on('close', () => {
      const refused = /Connection refused/i.test(errText);
      fail(`dial tcp4 127.0.0.1:${port}: ${refused ? 'connect: connection refused' : errText.trim().split('\n').pop() || 'relay exited'}`);
    });
  });
}
