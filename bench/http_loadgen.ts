// An HTTP client for bench:services (c), meant to run inside a pod's network namespace (`ip netns exec <pod netns>
// node dist/bench/http_loadgen.js '<json>'`), so the Service hop is measured on the pod-to-pod path. The targets
// take turns in short slices, in ABBA order (A B B A A B …), so a change of the shared machine's load hits every
// target alike: connections/s (a small GET per new connection, `concurrency` in flight, `seconds` per target in
// slices of `sliceMs`) or throughput (the big file `times` per target, one connection each). Per target it also
// reports each connection's time (connect to the end of the response), this process's CPU per connection (user +
// system: the client side of the kernel path runs in it) and the SYN retransmissions of this netns while the target
// had its turn (a SYN the server's TIME_WAIT rejects costs a 1 s retransmission). Prints one JSON line.
import { readFileSync } from 'node:fs';
import http from 'node:http';

export interface HttpTarget {
  host: string;
  port: number;
}

export interface HttpLoadSpec {
  mode: 'cps' | 'throughput';
  targets: HttpTarget[];
  /** cps: seconds per target */
  seconds?: number;
  /** cps: length of one turn */
  sliceMs?: number;
  concurrency?: number;
  /** throughput: big-file downloads per target */
  times?: number;
}

export interface HttpTargetResult {
  /** connections/s or MB/s */
  value: number;
  connections: number;
  /** cps: per-connection time, µs */
  p50Us?: number;
  p99Us?: number;
  maxUs?: number;
  /** cps: connections that took ≥ 500 ms */
  slow?: number;
  /** cps: this process's CPU per connection, µs */
  cpuUs?: number;
  /** TcpExt TCPSynRetrans of this netns during the target's turns */
  synRetrans: number;
}

export interface HttpLoadResult {
  targets: HttpTargetResult[];
}

function get(t: HttpTarget, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: t.host, port: t.port, path, agent: false }, (res) => {
        let bytes = 0;
        res.on('data', (d: Buffer) => (bytes += d.length));
        res.on('end', () => (res.statusCode === 200 ? resolve(bytes) : reject(new Error(`GET ${path}: ${res.statusCode}`))));
      })
      .on('error', reject);
  });
}

/** This netns's TcpExt TCPSynRetrans (/proc/net/netstat is per network namespace). */
function synRetrans(): number {
  const lines = readFileSync('/proc/net/netstat', 'utf8').split('\n');
  for (let i = 0; i + 1 < lines.length; i += 2) {
    if (!lines[i]!.startsWith('TcpExt:')) continue;
    const k = lines[i]!.split(' ').indexOf('TCPSynRetrans');
    return k > 0 ? Number(lines[i + 1]!.split(' ')[k]) : 0;
  }
  return 0;
}

/** The target of turn `i`: ABBA order over the targets. */
const turn = (i: number, n: number) => (Math.floor(i / n) % 2 === 0 ? i % n : n - 1 - (i % n));

const pct = (s: number[], p: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? NaN;

interface Acc {
  ms: number;
  n: number;
  bytes: number;
  cpuUs: number;
  syn: number;
  us: number[];
}

export async function load(spec: HttpLoadSpec): Promise<HttpLoadResult> {
  const n = spec.targets.length;
  const acc: Acc[] = spec.targets.map(() => ({ ms: 0, n: 0, bytes: 0, cpuUs: 0, syn: 0, us: [] }));
  const turns = spec.mode === 'cps' ? Math.max(1, Math.round(((spec.seconds ?? 5) * 1000) / (spec.sliceMs ?? 500))) * n : (spec.times ?? 3) * n;
  for (let i = 0; i < turns; i++) {
    const k = turn(i, n);
    const t = spec.targets[k]!;
    const a = acc[k]!;
    const syn0 = synRetrans();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    if (spec.mode === 'cps') {
      // a turn ends when its last connection does: a stalled one is charged to its own target
      const end = t0 + (spec.sliceMs ?? 500);
      await Promise.all(
        Array.from({ length: spec.concurrency ?? 8 }, async () => {
          while (performance.now() < end) {
            const c0 = performance.now();
            await get(t, '/small.html');
            a.us.push((performance.now() - c0) * 1000);
            a.n++;
          }
        }),
      );
    } else {
      a.bytes += await get(t, '/big.bin');
      a.n++;
    }
    a.ms += performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    a.cpuUs += cpu.user + cpu.system;
    a.syn += synRetrans() - syn0;
  }
  return {
    targets: acc.map((a) => {
      if (spec.mode === 'throughput') return { value: a.bytes / 1e6 / (a.ms / 1000), connections: a.n, synRetrans: a.syn };
      const us = a.us.sort((x, y) => x - y);
      return {
        value: a.n / (a.ms / 1000),
        connections: a.n,
        p50Us: Math.round(pct(us, 50)),
        p99Us: Math.round(pct(us, 99)),
        maxUs: Math.round(us[us.length - 1] ?? NaN),
        slow: us.filter((x) => x >= 500_000).length,
        cpuUs: Math.round(a.cpuUs / Math.max(1, a.n)),
        synRetrans: a.syn,
      };
    }),
  };
}

if (process.argv[1]?.endsWith('http_loadgen.js') && process.argv[2]) {
  process.stdout.write(JSON.stringify(await load(JSON.parse(process.argv[2]) as HttpLoadSpec)) + '\n');
}
