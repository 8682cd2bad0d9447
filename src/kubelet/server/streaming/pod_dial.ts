// A TCP connection to a port inside a pod's network namespace (127.0.0.1:<port> there, so ports bound
// to the pod's loopback work too): a socket handed over by the netns's dial helper, or, when the helper
// cannot run, `nsenter --net=<netns> socat` relaying its stdio. Host-network pods are dialled directly.
import { spawn } from 'node:child_process';
import net from 'node:net';
import { Duplex } from 'node:stream';
import { NetnsDialer } from './netns_dialer.js';

const dialer = new NetnsDialer();

/** Resolves once connected; rejects with upstream's wording (`dial tcp4 ...: connect: connection refused`). */
export async function dialInNetns(netnsPath: string, port: number, timeoutMs = 10_000): Promise<Duplex> {
  if (!netnsPath) return dialInNetnsViaSocat(netnsPath, port, timeoutMs);
  try {
    const s = await dialer.dial(netnsPath, port, timeoutMs);
    s.setNoDelay(true);
    return s;
  } catch (e) {
    // A refused or timed-out dial is the answer; anything else means the helper could not run.
    if (e instanceof Error && e.message.startsWith('dial tcp4')) throw e;
    return dialInNetnsViaSocat(netnsPath, port, timeoutMs);
  }
}

/** The relay fallback: socat's stdio piped to the port (and the direct dial for host-network pods). */
export function dialInNetnsViaSocat(netnsPath: string, port: number, timeoutMs = 10_000): Promise<Duplex> {
  if (!netnsPath) {
    return new Promise((resolve, reject) => {
      const s = net.connect({ host: '127.0.0.1', port });
      s.once('connect', () => resolve(s));
      s.once('error', (e) =>
        reject(new Error(`dial tcp4 127.0.0.1:${port}: ${(e as NodeJS.ErrnoException).code === 'ECONNREFUSED' ? 'connect: connection refused' : e.message}`)),
      );
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
