// Helpers for kube-proxy node tests: the proxy's nft table as text, the host's address, a plain HTTP GET, UDP
// flows in the host's conntrack table and a pod's count of datagrams to closed ports, a UDP-sending client pod.
import { execFileSync } from 'node:child_process';
import http from 'node:http';
import { networkInterfaces } from 'node:os';
import type { TestCluster } from '../../helpers/cluster.js';

export function nftTable(table: string): string {
  try {
    return execFileSync('nft', ['list', 'table', 'ip', table], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return '';
  }
}

export function hostIP(): string {
  for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  throw new Error('no non-loopback IPv4 address on this host');
}

export function httpGet(host: string, port: number, timeoutMs = 3000): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host, port, path: '/', agent: false, timeout: timeoutMs }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve(body.trim()));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

export const hasConntrack = (() => {
  try {
    execFileSync('conntrack', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** The host's conntrack entries for UDP flows to ip:port, as [client source port, reply source (the endpoint)]. */
export function udpFlows(ip: string, port: number): [number, string][] {
  let out = '';
  try {
    out = execFileSync('conntrack', ['-L', '-p', 'udp', '--orig-dst', ip, '--orig-port-dst', String(port)], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
  } catch {
    return [];
  }
  return out
    .split('\n')
    .map((l) => /sport=(\d+) dport=\d+ .*?src=(\S+) dst=/.exec(l))
    .filter((m): m is RegExpExecArray => !!m)
    .map((m) => [Number(m[1]), m[2]!]);
}

/** Datagrams that reached a pod's UDP layer for a port nobody listens on (its netns' Udp NoPorts counter). */
export async function udpNoPorts(c: TestCluster, pod: string): Promise<number> {
  const r = await c.kubectl(['exec', pod, '--', 'cat', '/proc/net/snmp']);
  const [head, vals] = r.stdout.split('\n').filter((l) => l.startsWith('Udp:'));
  if (!head || !vals) return 0;
  return Number(vals.split(/\s+/)[head.split(/\s+/).indexOf('NoPorts')]);
}

/** A pod that does nothing: a UDP Service's backend whose arrivals udpNoPorts counts. */
export const udpSink = (name: string) => `apiVersion: v1
kind: Pod
metadata: {name: ${name}, labels: {app: udpsink}}
spec:
  terminationGracePeriodSeconds: 0
  containers: [{name: c, image: busybox:1.35, command: [sleep, "3600"]}]
`;

export const udpService = (port: number) =>
  `apiVersion: v1\nkind: Service\nmetadata: {name: udp}\nspec:\n  selector: {app: udpsink}\n  ports: [{name: u, protocol: UDP, port: ${port}, targetPort: ${port}}]\n`;

/** busybox syslogd keeps one unconnected socket for its remote: every message leaves from the same source port. */
export const udpClient = (name: string, ip: string, port: number) => `apiVersion: v1
kind: Pod
metadata: {name: ${name}}
spec:
  terminationGracePeriodSeconds: 0
  containers:
  - name: c
    image: busybox:1.35
    command: ["sh", "-c", "syslogd -n -R ${ip}:${port} & sleep 1; i=0; while true; do logger -t k8ts ping-$i; i=$((i+1)); sleep 0.2; done"]
`;
