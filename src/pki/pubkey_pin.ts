// kubeadm's CA public key pins (--discovery-token-ca-cert-hash): "sha256:" and the hex SHA-256 of the CA
// certificate's DER SubjectPublicKeyInfo. A joining node checks the CA it was handed against the pin.
import { createHash } from 'node:crypto';
import { x509 } from './crypto_provider.js';

export const PIN_PREFIX = 'sha256:';

/** The pin of one certificate (PEM). */
export function caCertHash(certPem: string): string {
  const c = new x509.X509Certificate(certPem);
  return PIN_PREFIX + createHash('sha256').update(Buffer.from(c.publicKey.rawData)).digest('hex');
}

/** Why `pin` is not a pin kubeadm accepts, or undefined. */
export function pinFormatError(pin: string): string | undefined {
  if (!pin.startsWith(PIN_PREFIX)) return `unsupported hash format in ${JSON.stringify(pin)} (only "sha256:<hex>" is supported)`;
  if (!/^[0-9a-f]{64}$/i.test(pin.slice(PIN_PREFIX.length))) return `${JSON.stringify(pin)} is not a SHA-256 hash: want 64 hex digits`;
  return undefined;
}

/** Whether one of the certificates of `bundlePem` has the public key that `pins` names (kubeadm's pubkeypin.Set.CheckAny). */
export function matchesAnyPin(bundlePem: string, pins: string[]): boolean {
  const want = new Set(pins.map((p) => p.toLowerCase()));
  const blocks = bundlePem.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
  return blocks.some((b) => want.has(caCertHash(b)));
}
