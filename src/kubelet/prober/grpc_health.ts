// The standard gRPC health checking protocol (grpc.health.v1.Health/Check) without protoc: hand-encoded
// HealthCheckRequest{service=1} / HealthCheckResponse{status=1} and a @grpc/grpc-js service definition.
import type { ServiceDefinition } from '@grpc/grpc-js';

export const HEALTH_CHECK_PATH = '/grpc.health.v1.Health/Check';

/** HealthCheckResponse.ServingStatus. */
export const ServingStatus = { UNKNOWN: 0, SERVING: 1, NOT_SERVING: 2, SERVICE_UNKNOWN: 3 } as const;
const statusNames = ['UNKNOWN', 'SERVING', 'NOT_SERVING', 'SERVICE_UNKNOWN'];

export function servingStatusName(n: number): string {
  return statusNames[n] ?? String(n);
}

export interface HealthCheckRequest {
  service: string;
}
export interface HealthCheckResponse {
  status: number;
}

function varint(n: number): number[] {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
}

function readVarint(buf: Uint8Array, pos: number): [number, number] {
  let result = 0;
  let mul = 1;
  for (let i = 0; i < 10; i++) {
    if (pos >= buf.length) throw new Error('truncated varint');
    const b = buf[pos++]!;
    result += (b & 0x7f) * mul;
    if (!(b & 0x80)) return [result, pos];
    mul *= 128;
  }
  throw new Error('varint too long');
}

/** Reads field 1 (string for requests, varint for responses); unknown fields are skipped. */
function decodeFields(buf: Uint8Array, onField: (field: number, wire: number, value: number | Uint8Array) => void): void {
  let pos = 0;
  while (pos < buf.length) {
    let key: number;
    [key, pos] = readVarint(buf, pos);
    const field = Math.floor(key / 8);
    const wire = key & 7;
    if (wire === 0) {
      let v: number;
      [v, pos] = readVarint(buf, pos);
      onField(field, wire, v);
    } else if (wire === 2) {
      let len: number;
      [len, pos] = readVarint(buf, pos);
      if (pos + len > buf.length) throw new Error('truncated field');
      onField(field, wire, buf.subarray(pos, pos + len));
      pos += len;
    } else if (wire === 1) pos += 8;
    else if (wire === 5) pos += 4;
    else throw new Error(`unsupported wire type ${wire}`);
  }
}

export function encodeHealthCheckRequest(req: HealthCheckRequest): Buffer {
  if (!req.service) return Buffer.alloc(0);
  const s = Buffer.from(req.service, 'utf8');
  return Buffer.concat([Buffer.from([0x0a, ...varint(s.length)]), s]);
}

export function decodeHealthCheckRequest(buf: Uint8Array): HealthCheckRequest {
  const out: HealthCheckRequest = { service: '' };
  decodeFields(buf, (f, w, v) => {
    if (f === 1 && w === 2) out.service = Buffer.from(v as Uint8Array).toString('utf8');
  });
  return out;
}

export function encodeHealthCheckResponse(res: HealthCheckResponse): Buffer {
  return res.status ? Buffer.from([0x08, ...varint(res.status)]) : Buffer.alloc(0);
}

export function decodeHealthCheckResponse(buf: Uint8Array): HealthCheckResponse {
  const out: HealthCheckResponse = { status: 0 };
  decodeFields(buf, (f, w, v) => {
    if (f === 1 && w === 0) out.status = v as number;
  });
  return out;
}

/** Service definition usable with grpc-js Server.addService (tests, fixtures). */
export const healthServiceDefinition: ServiceDefinition = {
  Check: {
    path: HEALTH_CHECK_PATH,
    requestStream: false,
    responseStream: false,
    requestSerialize: (r: HealthCheckRequest) => encodeHealthCheckRequest(r),
    requestDeserialize: (b: Buffer) => decodeHealthCheckRequest(b),
    responseSerialize: (r: HealthCheckResponse) => encodeHealthCheckResponse(r),
    responseDeserialize: (b: Buffer) => decodeHealthCheckResponse(b),
    originalName: 'check',
  },
};
