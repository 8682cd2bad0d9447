// A UDP DNS load generator for bench:services (b), meant to run inside a pod's network namespace
// (`ip netns exec <pod netns> node dist/bench/dns_loadgen.js '<json>'`): a pre-encoded query mix sent either closed
// loop (a window of queries in flight, each answer sends the next: the server's capacity) or open loop (a fixed
// rate, paced every millisecond: latency at a given load), over a few sockets. Answers are matched by ID; one
// not back within the timeout counts as lost (unless it still comes, ID not yet reused: a generator that was
// descheduled sweeps before it reads its sockets). Prints one JSON line: queries/s, rcodes, lost, latency percentiles.
// Flood mode asks for a new random name every query (nothing cacheable: the server's memory bound).
import dgram from 'node:dgram';
import dnsPacket from 'dns-packet';

export interface LoadSpec {
  server: string;
  port: number;
  mode: 'closed' | 'open';
  /** closed: queries in flight. */
  window?: number;
  /** open: queries per second. */
  rate?: number;
  seconds: number;
  warmupSeconds: number;
  /** The mix, sent round-robin (ignored by flood). */
  queries: { name: string; type: 'A' | 'AAAA' | 'SRV' | 'PTR' }[];
  /** A new random name `<random>.<flood>` each query. */
  flood?: string;
  sockets?: number;
  timeoutMs?: number;
}

export interface LoadResult {
  sent: number;
  answered: number;
  lost: number;
  qps: number;
  rcodes: Record<string, number>;
  latencyMs: { p50: number; p90: number; p99: number; p999: number; max: number };
}

const RCODE_NAMES = ['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED'];

function percentile(sorted: Float64Array, p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export async function generate(spec: LoadSpec): Promise<LoadResult> {
  const timeoutMs = spec.timeoutMs ?? 500;
  const packets = spec.queries.map((q) =>
    dnsPacket.encode({ type: 'query', id: 0, flags: dnsPacket.RECURSION_DESIRED, questions: [{ name: q.name, type: q.type, class: 'IN' }] }),
  );
  const sockets = await Promise.all(
    Array.from(
      { length: spec.sockets ?? 4 },
      () =>
        new Promise<dgram.Socket>((resolve) => {
          const s = dgram.createSocket({ type: 'udp4', recvBufferSize: 4 << 20, sendBufferSize: 4 << 20 });
          s.bind(0, () => resolve(s));
        }),
    ),
  );
  // one 16-bit ID space over all sockets; send order kept in a ring for the timeout sweep
  const sentAt = new Float64Array(65536);
  /** 1: in flight; 2: timed out (a late answer still counts, and un-counts the loss). */
  const live = new Uint8Array(65536);
  const ring = new Uint16Array(65536);
  let ringHead = 0;
  let ringTail = 0;
  let nextId = 0;
  let nextQuery = 0;
  let sent = 0;
  let answered = 0;
  let lost = 0;
  let measuring = false;
  let stopped = false;
  const rcodes = new Uint32Array(16);
  let lat = new Float64Array(1 << 20);
  let nLat = 0;
  let floodN = 0;
  const floodTag = Math.random().toString(36).slice(2, 8);

  const send = () => {
    const id = nextId;
    nextId = (nextId + 1) & 0xffff;
    if (live[id] === 1) return; // 65,536 in flight: skip rather than confuse two queries
    let pkt: Buffer;
    if (spec.flood) {
      const name = `q${floodTag}${floodN++}.${spec.flood}`;
      pkt = dnsPacket.encode({ type: 'query', id, flags: dnsPacket.RECURSION_DESIRED, questions: [{ name, type: 'A', class: 'IN' }] });
    } else {
      const tmpl = packets[nextQuery]!;
      nextQuery = nextQuery + 1 === packets.length ? 0 : nextQuery + 1;
      pkt = Buffer.allocUnsafe(tmpl.length);
      tmpl.copy(pkt);
      pkt.writeUInt16BE(id, 0);
    }
    live[id] = 1;
    ring[ringTail] = id;
    ringTail = (ringTail + 1) & 0xffff;
    sentAt[id] = performance.now();
    if (measuring) sent++;
    sockets[id % sockets.length]!.send(pkt, spec.port, spec.server);
  };

  const onMessage = (msg: Buffer) => {
    if (msg.length < 12) return;
    const id = msg.readUInt16BE(0);
    const state = live[id];
    if (!state) return; // answered already, or not ours
    live[id] = 0;
    if (state === 2) {
      if (measuring) lost--;
      else return;
    }
    if (measuring) {
      answered++;
      rcodes[msg[3]! & 0xf]!++;
      if (nLat === lat.length) {
        const grown = new Float64Array(lat.length * 2);
        grown.set(lat);
        lat = grown;
      }
      lat[nLat++] = performance.now() - sentAt[id]!;
    }
    if (state === 1 && spec.mode === 'closed' && !stopped) send();
  };
  for (const s of sockets) s.on('message', onMessage);

  // the timeout sweep: oldest first; a lost query in closed loop is replaced so the window stays full
  const sweep = setInterval(() => {
    const now = performance.now();
    while (ringHead !== ringTail) {
      const id = ring[ringHead]!;
      if (live[id] === 1) {
        if (now - sentAt[id]! < timeoutMs) break;
        live[id] = 2;
        if (measuring) lost++;
        if (spec.mode === 'closed' && !stopped) send();
      }
      ringHead = (ringHead + 1) & 0xffff;
    }
  }, 20);

  let pacer: NodeJS.Timeout | undefined;
  const started = performance.now();
  if (spec.mode === 'closed') {
    for (let i = 0; i < (spec.window ?? 32); i++) send();
  } else {
    const rate = spec.rate ?? 20_000;
    let due = 0;
    pacer = setInterval(() => {
      const target = Math.floor(((performance.now() - started) * rate) / 1000);
      // never more than 50 ms of backlog at once (a stalled generator must not burst)
      if (target - due > rate / 20) due = target - Math.floor(rate / 20);
      while (due < target) {
        send();
        due++;
      }
    }, 1);
  }
  await new Promise((r) => setTimeout(r, spec.warmupSeconds * 1000));
  measuring = true;
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, spec.seconds * 1000));
  const elapsed = (performance.now() - t0) / 1000;
  measuring = false;
  stopped = true;
  if (pacer) clearInterval(pacer);
  await new Promise((r) => setTimeout(r, Math.min(timeoutMs, 200)));
  clearInterval(sweep);
  for (const s of sockets) s.close();

  const sorted = lat.subarray(0, nLat).sort();
  const r = (x: number) => Math.round(x * 1000) / 1000;
  const byName: Record<string, number> = {};
  rcodes.forEach((n, i) => {
    if (n) byName[RCODE_NAMES[i] ?? String(i)] = n;
  });
  return {
    sent,
    answered,
    lost,
    qps: Math.round(answered / elapsed),
    rcodes: byName,
    latencyMs: {
      p50: r(percentile(sorted, 50)),
      p90: r(percentile(sorted, 90)),
      p99: r(percentile(sorted, 99)),
      p999: r(percentile(sorted, 99.9)),
      max: r(nLat ? sorted[nLat - 1]! : NaN),
    },
  };
}

if (process.argv[1]?.endsWith('dns_loadgen.js') && process.argv[2]) {
  const result = await generate(JSON.parse(process.argv[2]) as LoadSpec);
  process.stdout.write(JSON.stringify(result) + '\n');
}
