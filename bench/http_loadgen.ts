// An HTTP client for bench:services (c), meant to run inside a pod's network namespace (`ip netns exec <pod netns>
// node dist/bench/http_loadgen.js '<json>'`), so the Service hop is measured on the pod-to-pod path: connections/s
// (a small GET per new connection, `concurrency` in flight, for `seconds`) or throughput (the big file `times` over,
// one connection each). Prints one JSON line.
import http from 'node:http';

export interface HttpLoadSpec {
  host: string;
  port: number;
  mode: 'cps' | 'throughput';
  seconds?: number;
  concurrency?: number;
  times?: number;
}

function get(host: string, port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get({ host, port, path, agent: false }, (res) => {
        let bytes = 0;
        res.on('data', (d: Buffer) => (bytes += d.length));
        res.on('end', () => (res.statusCode === 200 ? resolve(bytes) : reject(new Error(`GET ${path}: ${res.statusCode}`))));
      })
      .on('error', reject);
  });
}

export async function load(spec: HttpLoadSpec): Promise<{ value: number }> {
  if (spec.mode === 'cps') {
    const seconds = spec.seconds ?? 5;
    const end = performance.now() + seconds * 1000;
    let n = 0;
    await Promise.all(
      Array.from({ length: spec.concurrency ?? 8 }, async () => {
        while (performance.now() < end) {
          await get(spec.host, spec.port, '/small.html');
          n++;
        }
      }),
    );
    return { value: n / seconds };
  }
  const t0 = performance.now();
  let bytes = 0;
  for (let i = 0; i < (spec.times ?? 3); i++) bytes += await get(spec.host, spec.port, '/big.bin');
  return { value: bytes / 1e6 / ((performance.now() - t0) / 1000) };
}

if (process.argv[1]?.endsWith('http_loadgen.js') && process.argv[2]) {
  process.stdout.write(JSON.stringify(await load(JSON.parse(process.argv[2]) as HttpLoadSpec)) + '\n');
}
