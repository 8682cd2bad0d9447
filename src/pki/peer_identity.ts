// Who a TLS client is, from the certificate it presented (upstream's x509 request authenticator with
// CommonNameUserConversion): user = CN, groups = O. The chain was verified against the client CA by the TLS
// handshake (requestCert, rejectUnauthorized off so that the server can answer 401 itself); the result is kept
// per connection, so a keep-alive connection pays for the certificate once, and only expiry is checked again.
import type { TLSSocket } from 'node:tls';

export type PeerCertificateResult =
  { kind: 'none' } | { kind: 'invalid'; reason: string } | { kind: 'user'; name: string; groups: string[]; notAfterMs: number };

const cache = new WeakMap<TLSSocket, PeerCertificateResult>();

function list(v: string | string[] | undefined): string[] {
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

function examine(socket: TLSSocket): PeerCertificateResult {
  const cert = socket.getPeerCertificate();
  if (!cert || !cert.raw) return { kind: 'none' };
  if (!socket.authorized) return { kind: 'invalid', reason: String(socket.authorizationError ?? 'certificate not verified') };
  const name = list(cert.subject?.CN)[0] ?? '';
  if (!name) return { kind: 'invalid', reason: 'certificate has no common name' };
  return { kind: 'user', name, groups: list(cert.subject?.O), notAfterMs: Date.parse(cert.valid_to) };
}

/** The identity the connection's client certificate proves (cached per connection). */
export function peerCertificateIdentity(socket: TLSSocket, nowMs = Date.now()): PeerCertificateResult {
  let r = cache.get(socket);
  if (!r) {
    r = examine(socket);
    cache.set(socket, r);
  }
  if (r.kind === 'user' && !(nowMs <= r.notAfterMs)) return { kind: 'invalid', reason: 'certificate has expired' };
  return r;
}
