// PKCS#10 certificate signing requests (what certificates.k8s.io carries in spec.request): making one for a
// key (the node agent's), reading one (subject, SANs, public key; the signature checked synchronously so that
// API validation can use it), and signing one with a CA (the csrsigning controller's signer).
import { createPublicKey, randomBytes, verify as verifySignature } from 'node:crypto';
import { isIP } from 'node:net';
import { webcrypto, x509 } from './crypto_provider.js';
import type { CertKeyPair, SigningCA } from './certs.js';

const KEY_ALG = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGN_ALG = { name: 'ECDSA', hash: 'SHA-256' } as const;

export interface CSRSubject {
  commonName: string;
  organizations: string[];
  dnsNames: string[];
  ipAddresses: string[];
  emailAddresses: string[];
  uris: string[];
}

export interface ParsedCSR extends CSRSubject {
  /** DER of the SubjectPublicKeyInfo. */
  publicKey: Buffer;
  /** "ECDSA", "RSASSA-PKCS1-v1_5", "Ed25519", ... */
  keyAlgorithm: string;
}

/** A copy in a plain ArrayBuffer (what @peculiar/x509's parsers take). */
function ab(b: Buffer): ArrayBuffer {
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
}

function pemBlocks(pem: string, label: string): Buffer[] {
  const re = new RegExp(`-----BEGIN ${label}-----\\r?\\n([^-]*)-----END ${label}-----`, 'g');
  return [...pem.matchAll(re)].map((m) => Buffer.from(m[1].replace(/\s+/g, ''), 'base64'));
}

/** Length of the DER TLV at `at` (header + content). */
function tlvLength(der: Buffer, at: number): { header: number; length: number } {
  const first = der[at + 1];
  if (first === undefined) throw new Error('truncated ASN.1');
  if (first < 0x80) return { header: 2, length: first };
  const n = first & 0x7f;
  if (n < 1 || n > 4 || at + 2 + n > der.length) throw new Error('bad ASN.1 length');
  let len = 0;
  for (let i = 0; i < n; i++) len = len * 256 + der[at + 2 + i];
  return { header: 2 + n, length: len };
}

/** The DER of the CertificationRequestInfo (what the signature covers): the first element of the outer SEQUENCE. */
function signedPart(der: Buffer): Buffer {
  const outer = tlvLength(der, 0);
  const start = outer.header;
  const inner = tlvLength(der, start);
  return der.subarray(start, start + inner.header + inner.length);
}

const HASHES: Record<string, string> = { 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };

function sanOf(ext: x509.Extension | null): { dns: string[]; ip: string[]; email: string[]; uri: string[] } {
  const out = { dns: [] as string[], ip: [] as string[], email: [] as string[], uri: [] as string[] };
  if (!ext) return out;
  const san = ext instanceof x509.SubjectAlternativeNameExtension ? ext : new x509.SubjectAlternativeNameExtension(ext.rawData);
  for (const n of san.names.items) {
    if (n.type === 'dns') out.dns.push(n.value);
    else if (n.type === 'ip') out.ip.push(n.value);
    else if (n.type === 'email') out.email.push(n.value);
    else if (n.type === 'url') out.uri.push(n.value);
  }
  return out;
}

/**
 * Parses the one CERTIFICATE REQUEST PEM block of `pem` and checks its signature; throws an Error whose message
 * says what is wrong (upstream's ParseCSR + CheckSignature).
 */
export function parseCSR(pem: string): ParsedCSR {
  const blocks = pemBlocks(pem, 'CERTIFICATE REQUEST');
  if (blocks.length === 0) throw new Error('PEM block type must be CERTIFICATE REQUEST');
  const der = blocks[0];
  let csr: x509.Pkcs10CertificateRequest;
  try {
    csr = new x509.Pkcs10CertificateRequest(ab(der));
  } catch (e) {
    throw new Error(`asn1: structure error: ${e instanceof Error ? e.message : String(e)}`);
  }
  const spki = Buffer.from(csr.publicKey.rawData);
  const key = createPublicKey({ key: spki, format: 'der', type: 'spki' });
  const alg = csr.signatureAlgorithm as { name: string; hash?: { name: string } };
  const hash = alg.name === 'Ed25519' ? null : HASHES[alg.hash?.name ?? ''];
  if (hash === undefined) throw new Error(`x509: cannot verify signature: algorithm unimplemented`);
  const ok = verifySignature(hash, signedPart(der), key, Buffer.from(csr.signature));
  if (!ok) throw new Error('x509: signature verification failure');
  const san = sanOf(csr.getExtension('2.5.29.17'));
  return {
    commonName: csr.subjectName.getField('CN')[0] ?? '',
    organizations: csr.subjectName.getField('O'),
    dnsNames: san.dns,
    ipAddresses: san.ip,
    emailAddresses: san.email,
    uris: san.uri,
    publicKey: spki,
    keyAlgorithm: (csr.publicKey.algorithm as { name: string }).name,
  };
}

/** Whether `pem` holds one or more CERTIFICATE blocks that parse (upstream's status.certificate rule); the error otherwise. */
export function certificateBundleError(pem: string): string | undefined {
  const labels = [...pem.matchAll(/-----BEGIN ([A-Z0-9 ]+)-----/g)].map((m) => m[1]);
  const other = labels.find((l) => l !== 'CERTIFICATE');
  if (other) return `only CERTIFICATE PEM blocks are allowed, found "${other}"`;
  const blocks = pemBlocks(pem, 'CERTIFICATE');
  if (blocks.length === 0) return 'must contain at least one CERTIFICATE PEM block';
  for (const b of blocks) {
    try {
      new x509.X509Certificate(ab(b));
    } catch (e) {
      return `x509: malformed certificate: ${e instanceof Error ? e.message : String(e)}`;
    }
  }
  return undefined;
}

function toPEM(der: ArrayBuffer, label: string): string {
  const b64 = Buffer.from(der).toString('base64');
  return `-----BEGIN ${label}-----\n${b64.replace(/.{64}/g, '$&\n').replace(/\n$/, '')}\n-----END ${label}-----\n`;
}

/** A new ECDSA P-256 key and a CSR for it (the kubelet's: subject CN/O, optional SANs); both PEM. */
export async function createCSR(subject: { commonName: string; organizations?: string[]; altNames?: string[] }): Promise<{ csr: string; key: string }> {
  const keys = (await webcrypto.subtle.generateKey(KEY_ALG, true, ['sign', 'verify'])) as CryptoKeyPair;
  const names = [...new Set(subject.altNames ?? [])];
  const extensions: x509.Extension[] = names.length
    ? [new x509.SubjectAlternativeNameExtension(names.map((n) => ({ type: isIP(n) ? ('ip' as const) : ('dns' as const), value: n })))]
    : [];
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: [...(subject.organizations ?? []).map((o) => ({ O: [o] })), { CN: [subject.commonName] }],
    keys,
    signingAlgorithm: SIGN_ALG,
    extensions,
  });
  return { csr: csr.toString('pem') + '\n', key: toPEM(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey), 'PRIVATE KEY') };
}

/** certificates.k8s.io key usages → X.509 key usage bits and extended key usages. */
const KEY_USAGE_BITS: Record<string, number> = {
  'digital signature': x509.KeyUsageFlags.digitalSignature,
  'content commitment': x509.KeyUsageFlags.nonRepudiation,
  'key encipherment': x509.KeyUsageFlags.keyEncipherment,
  'key agreement': x509.KeyUsageFlags.keyAgreement,
  'data encipherment': x509.KeyUsageFlags.dataEncipherment,
  'cert sign': x509.KeyUsageFlags.keyCertSign,
  'crl sign': x509.KeyUsageFlags.cRLSign,
  'encipher only': x509.KeyUsageFlags.encipherOnly,
  'decipher only': x509.KeyUsageFlags.decipherOnly,
};
const EXT_KEY_USAGES: Record<string, string> = {
  'server auth': x509.ExtendedKeyUsage.serverAuth,
  'client auth': x509.ExtendedKeyUsage.clientAuth,
  'code signing': x509.ExtendedKeyUsage.codeSigning,
  'email protection': x509.ExtendedKeyUsage.emailProtection,
  's/mime': x509.ExtendedKeyUsage.emailProtection,
  timestamping: x509.ExtendedKeyUsage.timeStamping,
  'ocsp signing': x509.ExtendedKeyUsage.ocspSigning,
};

/**
 * Signs `csr` with `ca` (upstream's LocalSigner): the CSR's subject and SANs, the requested usages, not a CA,
 * from `notBefore` to `notAfter` (capped at the CA's own expiry). Returns the certificate PEM.
 */
export async function signCSR(ca: SigningCA, csr: ParsedCSR, usages: string[], notBefore: Date, notAfter: Date): Promise<string> {
  let bits = 0;
  for (const u of usages) bits |= KEY_USAGE_BITS[u] ?? 0;
  const eku = [...new Set(usages.map((u) => EXT_KEY_USAGES[u]).filter(Boolean))];
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    await x509.AuthorityKeyIdentifierExtension.create(ca.certificate),
  ];
  if (bits) extensions.push(new x509.KeyUsagesExtension(bits, true));
  if (eku.length) extensions.push(new x509.ExtendedKeyUsageExtension(eku));
  const names = [
    ...csr.dnsNames.map((value) => ({ type: 'dns' as const, value })),
    ...csr.ipAddresses.map((value) => ({ type: 'ip' as const, value })),
    ...csr.emailAddresses.map((value) => ({ type: 'email' as const, value })),
    ...csr.uris.map((value) => ({ type: 'url' as const, value })),
  ];
  if (names.length) extensions.push(new x509.SubjectAlternativeNameExtension(names));
  const serial = randomBytes(16);
  serial[0] &= 0x7f;
  const caEnd = ca.certificate.notAfter;
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial.toString('hex'),
    subject: [...csr.organizations.map((o) => ({ O: [o] })), { CN: [csr.commonName] }],
    issuer: ca.certificate.subjectName,
    notBefore,
    notAfter: notAfter > caEnd ? caEnd : notAfter,
    publicKey: await x509.PublicKey.create(ab(csr.publicKey)),
    signingKey: ca.signingKey,
    signingAlgorithm: SIGN_ALG,
    extensions,
  });
  return cert.toString('pem') + '\n';
}

/** The certificate's subject CN and O, and whether it chains (signature only) to the CA PEM `caPem`. */
export async function certSubject(certPem: string, caPem?: string): Promise<{ commonName: string; organizations: string[]; signedByCA: boolean }> {
  const c = new x509.X509Certificate(certPem);
  let signedByCA = false;
  if (caPem) {
    try {
      signedByCA = await c.verify({ publicKey: new x509.X509Certificate(caPem), signatureOnly: true });
    } catch {
      signedByCA = false;
    }
  }
  return { commonName: c.subjectName.getField('CN')[0] ?? '', organizations: c.subjectName.getField('O'), signedByCA };
}

/** Writes nothing: a pair as the node agent keeps it in one file (kubelet-client-current.pem: certificate then key). */
export function combinedPEM(pair: CertKeyPair): string {
  return pair.cert.trimEnd() + '\n' + pair.key.trimEnd() + '\n';
}

/** Splits a combined certificate+key PEM file back into its pair, or undefined when either part is missing. */
export function splitCombinedPEM(text: string): CertKeyPair | undefined {
  const cert = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/.exec(text)?.[0];
  const key = /-----BEGIN (?:EC |RSA )?PRIVATE KEY-----[\s\S]*?-----END (?:EC |RSA )?PRIVATE KEY-----/.exec(text)?.[0];
  return cert && key ? { cert: cert + '\n', key: key + '\n' } : undefined;
}
