// DNS messages on the wire (dns-packet does the encoding): reading a query (header checks, the one question,
// EDNS0's OPT), and writing a response that echoes the question's exact bytes, carries an OPT when the query
// did, and fits the transport (UDP: 512 bytes or the client's EDNS payload size, else TC with what fits).
import dnsPacket, { type Answer, type DecodedPacket, type OptAnswer } from 'dns-packet';
import type { Rcode } from './resolver.js';

const RCODES: Record<Rcode | 'BADVERS', number> = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5, BADVERS: 16 };
const OPCODE_QUERY = 0;
const FLAG_QR = 0x8000;
const FLAG_AA = 0x0400;
const FLAG_TC = 0x0200;
const FLAG_RD = 0x0100;
const FLAG_RA = 0x0080;
const FLAG_CD = 0x0010;
export const HEADER_BYTES = 12;
/** The UDP payload size we advertise and cap answers at (DNS flag day 2020's 1232). */
export const EDNS_PAYLOAD = 1232;
const MIN_UDP = 512;
export const MAX_TCP = 65535;

export interface Query {
  id: number;
  /** Header flags of the query (RD and CD are echoed). */
  flags: number;
  opcode: number;
  name: string;
  type: string;
  class: string;
  /** The question's bytes as sent (echoed verbatim: 0x20 case and all). */
  question: Buffer;
  /** The client's EDNS0 OPT, if any. */
  opt?: OptAnswer;
}

export type ParseResult = { ok: true; query: Query } | { ok: false; reply?: Buffer };

/** Where the (first) question ends: its name, then type and class. */
function questionEnd(buf: Buffer): number {
  let i = HEADER_BYTES;
  for (;;) {
    const len = buf[i]!;
    if (len === 0) return i + 1 + 4;
    if ((len & 0xc0) === 0xc0) return i + 2 + 4;
    i += len + 1;
  }
}

/** Read a query; what is not one gets a FORMERR/NOTIMP reply or, without even a header, nothing. */
export function parseQuery(buf: Buffer): ParseResult {
  if (buf.length < HEADER_BYTES) return { ok: false };
  const id = buf.readUInt16BE(0);
  const flags = buf.readUInt16BE(2);
  if (flags & FLAG_QR) return { ok: false }; // a response: never answer one (no reflection loops)
  const opcode = (flags >> 11) & 0xf;
  let pkt: DecodedPacket;
  try {
    pkt = dnsPacket.decode(buf);
  } catch {
    return { ok: false, reply: headerOnly(id, flags, 'FORMERR') };
  }
  if (opcode !== OPCODE_QUERY) return { ok: false, reply: headerOnly(id, flags, 'NOTIMP') };
  const questions = pkt.questions ?? [];
  if (questions.length !== 1 || (pkt.answers?.length ?? 0) > 0) return { ok: false, reply: headerOnly(id, flags, 'FORMERR') };
  const opts = (pkt.additionals ?? []).filter((a): a is OptAnswer => a.type === 'OPT');
  if (opts.length > 1) return { ok: false, reply: headerOnly(id, flags, 'FORMERR') };
  const q = questions[0]!;
  const end = questionEnd(buf);
  return {
    ok: true,
    query: { id, flags, opcode, name: q.name, type: q.type, class: q.class ?? 'IN', question: buf.subarray(HEADER_BYTES, end), opt: opts[0] },
  };
}

/** A reply without question or records (for queries we could not read). */
function headerOnly(id: number, queryFlags: number, rcode: Rcode): Buffer {
  const b = Buffer.alloc(HEADER_BYTES);
  b.writeUInt16BE(id, 0);
  b.writeUInt16BE(FLAG_QR | (queryFlags & (0x7800 | FLAG_RD)) | RCODES[rcode], 2);
  return b;
}

/** The largest response the client takes over this transport. */
export function responseLimit(q: Query, transport: 'udp' | 'tcp'): number {
  if (transport === 'tcp') return MAX_TCP;
  if (!q.opt) return MIN_UDP;
  return Math.max(MIN_UDP, Math.min(q.opt.udpPayloadSize || MIN_UDP, EDNS_PAYLOAD));
}

export interface ResponseParts {
  rcode: Rcode | 'BADVERS';
  authoritative: boolean;
  answers?: Answer[];
  authorities?: Answer[];
  additionals?: Answer[];
}

function encodeRecords(opt: Answer | undefined, answers: Answer[], authorities: Answer[], additionals: Answer[]): Buffer {
  return dnsPacket.encode({
    type: 'response',
    id: 0,
    flags: 0,
    questions: [],
    answers,
    authorities,
    additionals: opt ? [...additionals, opt] : additionals,
  });
}

/** The response to `q` with its question echoed, fitted into `limit` bytes (TC set when records had to go). */
export function buildResponse(q: Query, parts: ResponseParts, limit: number): Buffer {
  const rcode = RCODES[parts.rcode];
  const opt: OptAnswer | undefined = q.opt
    ? { type: 'OPT', name: '.', udpPayloadSize: EDNS_PAYLOAD, extendedRcode: rcode >> 4, ednsVersion: 0, flags: 0, flag_do: false, options: [] }
    : undefined;
  let answers = parts.answers ?? [];
  let authorities = parts.authorities ?? [];
  let additionals = parts.additionals ?? [];
  let body = encodeRecords(opt, answers, authorities, additionals);
  let tc = false;
  const room = limit - q.question.length;
  if (body.length > room) {
    // first the additional section goes (no TC needed: it is optional), then answers until they fit
    additionals = [];
    body = encodeRecords(opt, answers, authorities, additionals);
    if (body.length > room) {
      tc = true;
      authorities = [];
      let lo = 0;
      let hi = answers.length;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (encodeRecords(opt, answers.slice(0, mid), [], []).length <= room) lo = mid;
        else hi = mid - 1;
      }
      answers = answers.slice(0, lo);
      body = encodeRecords(opt, answers, authorities, additionals);
    }
  }
  let flags = FLAG_QR | (q.opcode << 11) | (q.flags & (FLAG_RD | FLAG_CD)) | FLAG_RA | (rcode & 0xf);
  if (parts.authoritative) flags |= FLAG_AA;
  if (tc) flags |= FLAG_TC;
  const out = Buffer.allocUnsafe(body.length + q.question.length);
  body.copy(out, 0, 0, HEADER_BYTES);
  q.question.copy(out, HEADER_BYTES);
  body.copy(out, HEADER_BYTES + q.question.length, HEADER_BYTES);
  out.writeUInt16BE(q.id, 0);
  out.writeUInt16BE(flags, 2);
  out.writeUInt16BE(1, 4);
  return out;
}
