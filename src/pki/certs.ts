// Key pairs and certificates: a self-signed CA, and leaf certificates (serving, client, or both) that a CA signs.
// ECDSA P-256 keys (kubeadm's EncryptionAlgorithm ECDSA-P256): quick to make, so a fresh cluster starts fast.
import { createHash, randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { webcrypto, x509 } from './crypto_provider.js';

const KEY_ALG = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGN_ALG = { name: 'ECDSA', hash: 'SHA-256' } as const;

/** A certificate and its private key, both PEM. */
export interface CertKeyPair {
  cert: string;
  key: string;
}

/** A CA ready to sign: its PEMs and the imported signing key. */
export interface SigningCA extends CertKeyPair {
  certificate: x509.X509Certificate;
  signingKey: CryptoKey;
}

export type CertUsage = 'server' | 'client' | 'server+client';

export interface LeafSpec {
  commonName: string;
  organizations?: string[];
  /** DNS names and IP addresses (told apart by their form). */
  altNames?: string[];
  usage: CertUsage;
  notBefore: Date;
  notAfter: Date;
}

function toPEM(der: ArrayBuffer, label: string): string {
  const b64 = Buffer.from(der).toString('base64');
  return `-----BEGIN ${label}-----\n${b64.replace(/.{64}/g, '$&\n').replace(/\n$/, '')}\n-----END ${label}-----\n`;
}

function fromPEM(pem: string): Buffer {
  return Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
}

function subject(cn: string, orgs: string[] = []): x509.JsonName {
  return [...orgs.map((o) => ({ O: [o] })), { CN: [cn] }];
}

function serial(): string {
  // positive, 16 bytes, as Go's crypto/x509 callers pick them
  const b = randomBytes(16);
  b[0] &= 0x7f;
  return b.toString('hex');
}

async function keyPair(): Promise<CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(KEY_ALG, true, ['sign', 'verify'])) as CryptoKeyPair;
}

async function privateKeyPEM(k: CryptoKey): Promise<string> {
  return toPEM(await webcrypto.subtle.exportKey('pkcs8', k), 'PRIVATE KEY');
}

/** Import a PEM (PKCS#8) ECDSA P-256 private key for signing. */
export async function importSigningKey(pem: string): Promise<CryptoKey> {
  return (await webcrypto.subtle.importKey('pkcs8', fromPEM(pem), KEY_ALG, true, ['sign'])) as CryptoKey;
}

export async function createCA(commonName: string, notBefore: Date, notAfter: Date): Promise<SigningCA> {
  const keys = await keyPair();
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: subject(commonName),
    notBefore,
    notAfter,
    keys,
    signingAlgorithm: SIGN_ALG,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { cert: certificate.toString('pem') + '\n', key: await privateKeyPEM(keys.privateKey), certificate, signingKey: keys.privateKey };
}

export async function loadCA(pair: CertKeyPair): Promise<SigningCA> {
  return { ...pair, certificate: new x509.X509Certificate(pair.cert), signingKey: await importSigningKey(pair.key) };
}

/** A new key pair and a certificate for it that `ca` signs. */
export async function issueCert(ca: SigningCA, spec: LeafSpec): Promise<CertKeyPair> {
  const keys = await keyPair();
  const eku =
    spec.usage === 'server'
      ? [x509.ExtendedKeyUsage.serverAuth]
      : spec.usage === 'client'
        ? [x509.ExtendedKeyUsage.clientAuth]
        : [x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth];
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
    new x509.ExtendedKeyUsageExtension(eku),
    await x509.AuthorityKeyIdentifierExtension.create(ca.certificate),
  ];
  const names = [...new Set(spec.altNames ?? [])];
  if (names.length)
    extensions.push(new x509.SubjectAlternativeNameExtension(names.map((n) => ({ type: isIP(n) ? ('ip' as const) : ('dns' as const), value: n }))));
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: subject(spec.commonName, spec.organizations),
    issuer: ca.certificate.subjectName,
    notBefore: spec.notBefore,
    notAfter: spec.notAfter,
    publicKey: keys.publicKey,
    signingKey: ca.signingKey,
    signingAlgorithm: SIGN_ALG,
    extensions,
  });
  return { cert: cert.toString('pem') + '\n', key: await privateKeyPEM(keys.privateKey) };
}

/** What a certificate says about itself (for reuse and renewal decisions). */
export interface CertInfo {
  notBefore: Date;
  notAfter: Date;
  altNames: string[];
  /** SHA-256 of the DER, hex. */
  fingerprint: string;
  issuer: string;
  subject: string;
}

export function certInfo(pem: string): CertInfo {
  const c = new x509.X509Certificate(pem);
  const san = c.getExtension(x509.SubjectAlternativeNameExtension);
  const altNames = san ? san.names.items.map((n) => n.value) : [];
  return {
    notBefore: c.notBefore,
    notAfter: c.notAfter,
    altNames,
    fingerprint: createHash('sha256').update(Buffer.from(c.rawData)).digest('hex'),
    issuer: c.issuer,
    subject: c.subject,
  };
}
