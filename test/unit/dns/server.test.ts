// The DNS server on real sockets: UDP and TCP (length-prefixed, pipelined), EDNS0, truncation, malformed
// packets (FORMERR, never a crash), opcodes and types we do not serve (NOTIMP/NODATA), forwarding to an
// upstream (and REFUSED without one, or once the in-flight bound is reached), the answer cache following changes.
import test from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import net from 'node:net';
import dnsPacket, { type Packet } from 'dns-packet';
import { ClusterRecords } from '../../../src/dns/records.js';
import { DNSServer } from '../../../src/dns/server.js';
import { Forwarder } from '../../../src/dns/forwarder.js';

function records(): ClusterRecords {
  const r = new ClusterRecords();
  r.upsertNamespace('default');
  r.upsertService({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { namespace: 'default', name: 'myservice' },
    spec: { clusterIP: '10.96.0.20', clusterIPs: ['10.96.0.20'], ports: [{ name: 'http', port: 80, protocol: 'TCP' }] },
  });
  r.upsertService({ apiVersion: 'v1', kind: 'Service', metadata: { namespace: 'default', name: 'big' }, spec: { clusterIP: 'None' } });
  const endpoints = Array.from({ length: 100 }, (_, i) => ({ addresses: [`10.244.1.${i + 1}`], conditions: { ready: true } }));
  r.upsertSlice({
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { namespace: 'default', name: 'big-1', labels: { 'kubernetes.io/service-name': 'big' } },
    addressType: 'IPv4',
    endpoints,
  });
  return r;
}

async function startServer(forwarder?: Forwarder, recs = records()): Promise<{ server: DNSServer; port: number; recs: ClusterRecords }> {
  const server = new DNSServer({ records: recs, zone: { domain: 'cluster.local', dnsIP: '10.96.0.10', ttl: 5, serial: 1 }, forwarder });
  const port = await server.listen('127.0.0.1', 0);
  return { server, port, recs };
}

function udpRaw(port: number, msg: Buffer, timeoutMs = 2000): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const s = dgram.createSocket('udp4');
    const t = setTimeout(() => {
      s.close();
      resolve(undefined);
    }, timeoutMs);
    s.on('message', (m) => {
      clearTimeout(t);
      s.close();
      resolve(m);
    });
    s.send(msg, port, '127.0.0.1');
  });
}

const query = (name: string, type: string, extra: Partial<Packet> = {}): Buffer =>
  dnsPacket.encode({ type: 'query', id: 4242, flags: dnsPacket.RECURSION_DESIRED, questions: [{ name, type: type as 'A', class: 'IN' }], ...extra });

async function udp(port: number, msg: Buffer) {
  const r = await udpRaw(port, msg);
  assert.ok(r, 'an answer');
  return { raw: r, pkt: dnsPacket.decode(r) as ReturnType<typeof dnsPacket.decode> & { rcode: string } };
}

function tcp(port: number, msgs: Buffer[], splitAt?: number): Promise<Buffer[]> {
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, '127.0.0.1');
    const out: Buffer[] = [];
    let buf = Buffer.alloc(0);
    sock.on('connect', () => {
      const framed = Buffer.concat(
        msgs.map((m) => {
          const l = Buffer.alloc(2);
          l.writeUInt16BE(m.length);
          return Buffer.concat([l, m]);
        }),
      );
      if (splitAt) {
        sock.write(framed.subarray(0, splitAt));
        setTimeout(() => sock.write(framed.subarray(splitAt)), 50);
      } else sock.write(framed);
    });
    sock.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        out.push(buf.subarray(2, 2 + buf.readUInt16BE(0)));
        buf = buf.subarray(2 + buf.readUInt16BE(0));
      }
      if (out.length === msgs.length) {
        sock.end();
        resolve(out);
      }
    });
    sock.on('error', reject);
  });
}

test('UDP: an authoritative answer echoing ID, question (case and all) and RD', async (t) => {
  const { server, port } = await startServer();
  t.after(() => server.close());
  const { raw, pkt } = await udp(port, query('MyService.default.svc.cluster.local', 'A'));
  assert.equal(pkt.id, 4242);
  assert.equal(pkt.rcode, 'NOERROR');
  assert.ok(pkt.flag_qr && pkt.flag_aa && pkt.flag_rd && !pkt.flag_tc);
  assert.equal(pkt.questions![0]!.name, 'MyService.default.svc.cluster.local');
  assert.deepEqual(
    pkt.answers!.map((a) => 'data' in a && a.data),
    ['10.96.0.20'],
  );
  // the same query again (from the answer cache) differs only in its ID
  const again = await udp(port, dnsPacket.encode({ ...dnsPacket.decode(query('MyService.default.svc.cluster.local', 'A')), id: 7 }));
  assert.equal(again.pkt.id, 7);
  assert.deepEqual(again.raw.subarray(2), raw.subarray(2));
});

test('NXDOMAIN and NODATA carry the SOA in the authority section', async (t) => {
  const { server, port } = await startServer();
  t.after(() => server.close());
  const nx = (await udp(port, query('nope.default.svc.cluster.local', 'A'))).pkt;
  assert.equal(nx.rcode, 'NXDOMAIN');
  assert.equal(nx.authorities![0]!.type, 'SOA');
  const nodata = (await udp(port, query('myservice.default.svc.cluster.local', 'AAAA'))).pkt;
  assert.equal(nodata.rcode, 'NOERROR');
  assert.equal(nodata.answers!.length, 0);
  assert.equal(nodata.authorities![0]!.type, 'SOA');
  // a type we build no records for, on an existing name: NODATA too
  assert.equal((await udp(port, query('myservice.default.svc.cluster.local', 'MX'))).pkt.rcode, 'NOERROR');
});

test('the answer cache follows the records: a new Service answers at once', async (t) => {
  const { server, port, recs } = await startServer();
  t.after(() => server.close());
  assert.equal((await udp(port, query('late.default.svc.cluster.local', 'A'))).pkt.rcode, 'NXDOMAIN');
  recs.upsertService({ apiVersion: 'v1', kind: 'Service', metadata: { namespace: 'default', name: 'late' }, spec: { clusterIP: '10.96.0.30' } });
  const pkt = (await udp(port, query('late.default.svc.cluster.local', 'A'))).pkt;
  assert.equal(pkt.rcode, 'NOERROR');
  assert.deepEqual(
    pkt.answers!.map((a) => 'data' in a && a.data),
    ['10.96.0.30'],
  );
});

test('truncation: over 512 bytes without EDNS the UDP answer has TC set; TCP gets it whole; EDNS raises the limit', async (t) => {
  const { server, port } = await startServer();
  t.after(() => server.close());
  const plain = await udp(port, query('big.default.svc.cluster.local', 'A'));
  assert.ok(plain.raw.length <= 512, `${plain.raw.length} bytes`);
  assert.ok(plain.pkt.flag_tc, 'TC set');
  assert.ok(plain.pkt.answers!.length < 100);
  const [whole] = await tcp(port, [query('big.default.svc.cluster.local', 'A')]);
  const w = dnsPacket.decode(whole!);
  assert.equal(w.answers!.length, 100);
  assert.ok(!w.flag_tc);
  // EDNS0: the client's payload size (capped at ours, 1232) is the limit; the answer carries an OPT
  const edns = await udp(
    port,
    query('big.default.svc.cluster.local', 'A', {
      additionals: [{ type: 'OPT', name: '.', udpPayloadSize: 4096, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] }],
    }),
  );
  assert.ok(edns.raw.length > 512 && edns.raw.length <= 1232, `${edns.raw.length} bytes`);
  const opt = edns.pkt.additionals!.find((a) => a.type === 'OPT') as { udpPayloadSize: number } | undefined;
  assert.equal(opt?.udpPayloadSize, 1232);
  assert.ok(edns.pkt.answers!.length > plain.pkt.answers!.length);
  const small = await udp(
    port,
    query('myservice.default.svc.cluster.local', 'A', {
      additionals: [{ type: 'OPT', name: '.', udpPayloadSize: 4096, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] }],
    }),
  );
  assert.ok(!small.pkt.flag_tc);
  assert.ok(small.pkt.additionals!.some((a) => a.type === 'OPT'));
  // an EDNS version we do not speak: BADVERS (extended RCODE 1 in the OPT, header RCODE 0)
  const badvers = await udp(
    port,
    query('myservice.default.svc.cluster.local', 'A', {
      additionals: [{ type: 'OPT', name: '.', udpPayloadSize: 4096, extendedRcode: 0, ednsVersion: 1, flags: 0, flag_do: false, options: [] }],
    }),
  );
  assert.equal(badvers.raw.readUInt16BE(2) & 0xf, 0);
  assert.equal((badvers.pkt.additionals!.find((a) => a.type === 'OPT') as { extendedRcode: number }).extendedRcode, 1);
});

test('TCP: several queries pipelined on one connection, a frame split across writes', async (t) => {
  const { server, port } = await startServer();
  t.after(() => server.close());
  const qs = [
    query('myservice.default.svc.cluster.local', 'A'),
    query('nope.default.svc.cluster.local', 'A'),
    query('_http._tcp.myservice.default.svc.cluster.local', 'SRV'),
  ];
  const replies = (await tcp(port, qs, 7)).map((b) => dnsPacket.decode(b) as ReturnType<typeof dnsPacket.decode> & { rcode: string });
  assert.deepEqual(
    replies.map((p) => [p.questions![0]!.name, p.rcode]),
    [
      ['myservice.default.svc.cluster.local', 'NOERROR'],
      ['nope.default.svc.cluster.local', 'NXDOMAIN'],
      ['_http._tcp.myservice.default.svc.cluster.local', 'NOERROR'],
    ],
  );
});

test('malformed input: FORMERR with the ID, nothing for less than a header, never a crash', async (t) => {
  const { server, port } = await startServer();
  t.after(() => server.close());
  const good = query('myservice.default.svc.cluster.local', 'A');
  // a question cut short
  const cut = Buffer.from(good.subarray(0, 20));
  const r1 = await udp(port, cut);
  assert.equal(r1.raw.readUInt16BE(0), 4242);
  assert.equal(r1.raw.readUInt16BE(2) & 0xf, 1, 'FORMERR');
  assert.ok(r1.raw.readUInt16BE(2) & 0x8000, 'QR');
  // two questions
  const two = dnsPacket.encode({
    type: 'query',
    id: 9,
    questions: [
      { name: 'a.cluster.local', type: 'A' },
      { name: 'b.cluster.local', type: 'A' },
    ],
  });
  assert.equal((await udpRaw(port, two))!.readUInt16BE(2) & 0xf, 1);
  // a compression pointer loop in the question name
  const loop = Buffer.from(good);
  loop[12] = 0xc0;
  loop[13] = 12;
  assert.equal((await udpRaw(port, loop))!.readUInt16BE(2) & 0xf, 1);
  // garbage and a short packet: no answer, the server still answers the next query
  assert.equal(await udpRaw(port, Buffer.from([1, 2, 3]), 300), undefined);
  for (let i = 0; i < 200; i++) await udpRaw(port, Buffer.from(Array.from({ length: 12 + (i % 40) }, (_, j) => (i * 31 + j * 7) & 255)), 50);
  // a response sent to us is never answered (no reflection)
  const resp = Buffer.from(good);
  resp.writeUInt16BE(resp.readUInt16BE(2) | 0x8000, 2);
  assert.equal(await udpRaw(port, resp, 300), undefined);
  assert.equal((await udp(port, good)).pkt.rcode, 'NOERROR');
  // TCP: a garbage frame gets FORMERR, the connection goes on
  const [f, ok] = await tcp(port, [Buffer.from([0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xff]), good]);
  assert.equal(f!.readUInt16BE(2) & 0xf, 1);
  assert.equal(dnsPacket.decode(ok!).answers!.length, 1);
});

test('opcodes other than QUERY are NOTIMP; zone transfers NOTIMP; classes other than IN REFUSED', async (t) => {
  const { server, port } = await startServer();
  t.after(() => server.close());
  const notify = Buffer.from(query('cluster.local', 'SOA'));
  notify.writeUInt16BE((notify.readUInt16BE(2) & ~0x7800) | (4 << 11), 2);
  const r = (await udpRaw(port, notify))!;
  assert.equal(r.readUInt16BE(2) & 0xf, 4);
  assert.equal((r.readUInt16BE(2) >> 11) & 0xf, 4, 'the opcode is echoed');
  assert.equal((await udp(port, query('cluster.local', 'AXFR'))).pkt.rcode, 'NOTIMP');
  const chaos = dnsPacket.encode({ type: 'query', id: 1, questions: [{ name: 'version.bind', type: 'TXT', class: 'CH' }] });
  assert.equal((await udp(port, chaos)).pkt.rcode, 'REFUSED');
});

test('names outside the zone go to the upstream resolver; REFUSED without one', async (t) => {
  // a fake upstream that answers every A query with 192.0.2.1
  const upstream = dgram.createSocket('udp4');
  let seen = 0;
  upstream.on('message', (m, rinfo) => {
    seen++;
    const q = dnsPacket.decode(m);
    upstream.send(
      dnsPacket.encode({
        type: 'response',
        id: q.id,
        flags: dnsPacket.RECURSION_AVAILABLE,
        questions: q.questions,
        answers: [{ type: 'A', name: q.questions![0]!.name, ttl: 60, data: '192.0.2.1' }],
      }),
      rinfo.port,
      rinfo.address,
    );
  });
  await new Promise<void>((r) => upstream.bind(0, '127.0.0.1', () => r()));
  const fwd = new Forwarder({ upstreams: [{ host: '127.0.0.1', port: upstream.address().port }] });
  const { server, port } = await startServer(fwd);
  t.after(async () => {
    await server.close();
    fwd.close();
    upstream.close();
  });
  const r = await udp(port, query('example.com', 'A'));
  assert.equal(r.pkt.id, 4242, 'the client ID is restored');
  assert.deepEqual(
    r.pkt.answers!.map((a) => 'data' in a && a.data),
    ['192.0.2.1'],
  );
  assert.equal(seen, 1);
  // reverse names of IPs the cluster does not own are forwarded too
  assert.equal((await udp(port, query('4.4.8.8.in-addr.arpa', 'PTR'))).pkt.rcode, 'NOERROR');
  assert.equal(seen, 2);
  // an ExternalName to an outside name: the CNAME plus the target's address from upstream
  server['o'].records.upsertService({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { namespace: 'default', name: 'ext' },
    spec: { type: 'ExternalName', externalName: 'example.org' },
  });
  const ext = await udp(port, query('ext.default.svc.cluster.local', 'A'));
  assert.deepEqual(
    ext.pkt.answers!.map((a) => [a.type, 'data' in a && a.data]),
    [
      ['CNAME', 'example.org'],
      ['A', '192.0.2.1'],
    ],
  );
  const none = await startServer(new Forwarder({ upstreams: [] }));
  t.after(() => none.server.close());
  assert.equal((await udp(none.port, query('example.com', 'A'))).pkt.rcode, 'REFUSED');
});

test('a flood of forwarded queries is bounded: beyond max in-flight the answer is REFUSED, nothing queues', async (t) => {
  // an upstream that never answers
  const upstream = dgram.createSocket('udp4');
  await new Promise<void>((r) => upstream.bind(0, '127.0.0.1', () => r()));
  const fwd = new Forwarder({ upstreams: [{ host: '127.0.0.1', port: upstream.address().port }], maxConcurrent: 5, timeoutMs: 1500 });
  const { server, port } = await startServer(fwd);
  t.after(async () => {
    await server.close();
    fwd.close();
    upstream.close();
  });
  const pending = Array.from({ length: 5 }, (_, i) => udpRaw(port, query(`slow${i}.example.com`, 'A'), 3000));
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(fwd.inFlightCount, 5);
  const refused = await udp(port, query('one-too-many.example.com', 'A'));
  assert.equal(refused.pkt.rcode, 'REFUSED');
  // the cluster's own names are still answered while the forwards hang
  assert.equal((await udp(port, query('myservice.default.svc.cluster.local', 'A'))).pkt.rcode, 'NOERROR');
  const timedOut = await Promise.all(pending);
  for (const b of timedOut) assert.equal(b!.readUInt16BE(2) & 0xf, 2, 'SERVFAIL after the forward timeout');
  assert.equal(fwd.inFlightCount, 0);
});
