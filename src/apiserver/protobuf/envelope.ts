// The Kubernetes protobuf envelope: the magic prefix "k8s\0" followed by a runtime.Unknown carrying
// typeMeta{apiVersion, kind}, the raw message bytes, contentEncoding and contentType.
import { kubernetesRoot } from './roots.js';

export const PROTOBUF_MEDIA_TYPE = 'application/vnd.kubernetes.protobuf';
export const ENVELOPE_MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

export interface Envelope {
  apiVersion: string;
  kind: string;
  raw: Uint8Array;
  contentEncoding: string;
  contentType: string;
}

const UNKNOWN = 'k8s.io.apimachinery.pkg.runtime.Unknown';

/** Split an envelope; throws (plain Error) on a missing magic or a malformed runtime.Unknown. */
export function readEnvelope(buf: Uint8Array): Envelope {
  if (buf.length < ENVELOPE_MAGIC.length || !ENVELOPE_MAGIC.equals(buf.subarray(0, ENVELOPE_MAGIC.length))) {
    throw new Error('provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]');
  }
  const msg = kubernetesRoot().lookupType(UNKNOWN).decode(buf.subarray(ENVELOPE_MAGIC.length)) as unknown as {
    typeMeta?: { apiVersion?: string; kind?: string };
    raw?: Uint8Array;
    contentEncoding?: string;
    contentType?: string;
  };
  return {
    apiVersion: msg.typeMeta?.apiVersion ?? '',
    kind: msg.typeMeta?.kind ?? '',
    raw: msg.raw ?? new Uint8Array(0),
    contentEncoding: msg.contentEncoding ?? '',
    contentType: msg.contentType ?? '',
  };
}

/** Wrap an encoded message in the envelope (used by tests and any protobuf-speaking client of ours). */
export function writeEnvelope(apiVersion: string, kind: string, raw: Uint8Array): Buffer {
  const type = kubernetesRoot().lookupType(UNKNOWN);
  const body = type.encode(type.fromObject({ typeMeta: { apiVersion, kind }, raw })).finish();
  return Buffer.concat([ENVELOPE_MAGIC, body]);
}
