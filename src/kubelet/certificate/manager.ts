// The kubelet's certificate manager (client-go util/certificate): keeps one certificate+key in one PEM file
// (kubelet-client-current.pem, kubelet-server-current.pem), and renews it by a new CSR — with the identity it
// has now — at a random point between 70% and 90% of its lifetime (upstream's jittered rotation deadline).
// Once the certificate has expired (rotation failed until then, or the machine slept through it) that identity
// is gone: with bootstrap credentials it asks with those instead, as kubelet's client falls back to its bootstrap
// kubeconfig when the current certificate is expired or missing.
import { existsSync, readFileSync } from 'node:fs';
import type { KubeClient } from '../../client/rest.js';
import type { Logger } from '../../log/logger.js';
import { certInfo, type CertKeyPair } from '../../pki/certs.js';
import { combinedPEM, splitCombinedPEM } from '../../pki/csr.js';
import { writeFileAtomic } from '../../pki/files.js';
import { requestCertificate, type CertificateRequest } from './csr_request.js';

/** Upstream nextRotationDeadline: notBefore + 70–90% of the lifetime. */
export function rotationDeadline(notBefore: Date, notAfter: Date, random = Math.random()): Date {
  const total = notAfter.getTime() - notBefore.getTime();
  return new Date(notBefore.getTime() + total * (0.7 + 0.2 * random));
}

/** The pair in `file` when it is there, parses, and is valid at `now`. */
export function loadCertificateFile(file: string, now = new Date()): (CertKeyPair & { notBefore: Date; notAfter: Date; subject: string }) | undefined {
  if (!existsSync(file)) return undefined;
  const pair = splitCombinedPEM(readFileSync(file, 'utf8'));
  if (!pair) return undefined;
  try {
    const info = certInfo(pair.cert);
    if (info.notAfter <= now || info.notBefore > new Date(now.getTime() + 5 * 60_000)) return undefined;
    return { ...pair, notBefore: info.notBefore, notAfter: info.notAfter, subject: info.subject };
  } catch {
    return undefined;
  }
}

export function writeCertificateFile(file: string, pair: CertKeyPair): void {
  writeFileAtomic(file, combinedPEM(pair), 0o600);
}

export interface CertificateManagerOptions {
  file: string;
  /** What to ask for on renewal (generateName is "csr-"). */
  request: Omit<CertificateRequest, 'generateName'>;
  /** The client to ask with (the identity the current certificate gives). */
  client: KubeClient;
  /** A client with bootstrap credentials (the join token), used while no valid certificate is left; closed after. */
  bootstrapClient?: () => KubeClient;
  onRotate: (pair: CertKeyPair) => void;
  log: Logger;
  /** Retry after a failed renewal (default 30 s, doubling up to 5 min). */
  retryMs?: number;
}

export class CertificateManager {
  private timer?: NodeJS.Timeout;
  private stopped = false;
  // ends a CSR wait in flight at stop (it would otherwise poll a gone server until its 15-minute deadline)
  private readonly aborter = new AbortController();
  private failures = 0;

  constructor(private readonly o: CertificateManagerOptions) {}

  current(): CertKeyPair | undefined {
    return loadCertificateFile(this.o.file);
  }

  start(): void {
    const cur = loadCertificateFile(this.o.file);
    const at = cur ? rotationDeadline(cur.notBefore, cur.notAfter) : new Date();
    this.schedule(Math.max(0, at.getTime() - Date.now()));
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    // setTimeout's limit is ~24.8 days: wake up and look again
    this.timer = setTimeout(() => void this.tick(), Math.min(ms, 2 ** 31 - 1));
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    const cur = loadCertificateFile(this.o.file);
    if (cur && rotationDeadline(cur.notBefore, cur.notAfter, 0).getTime() > Date.now()) return this.start();
    try {
      await this.rotate();
      this.failures = 0;
      this.start();
    } catch (e) {
      this.failures++;
      const wait = Math.min((this.o.retryMs ?? 30_000) * 2 ** (this.failures - 1), 5 * 60_000);
      this.o.log.error({ err: (e as Error).message, file: this.o.file, retryInMs: wait }, 'Certificate rotation failed');
      this.schedule(wait);
    }
  }

  /** A new certificate now: a CSR with the current identity (the bootstrap one if that has expired), written, then handed over. */
  async rotate(): Promise<CertKeyPair> {
    const bootstrap = !loadCertificateFile(this.o.file) && this.o.bootstrapClient ? this.o.bootstrapClient() : undefined;
    if (bootstrap) this.o.log.info({ file: this.o.file }, 'The current certificate has expired; asking with the bootstrap credentials');
    try {
      const got = await requestCertificate(
        bootstrap ?? this.o.client,
        { ...this.o.request, generateName: bootstrap ? 'node-csr-' : 'csr-' },
        { signal: this.aborter.signal },
      );
      const pair = { cert: got.cert, key: got.key };
      writeCertificateFile(this.o.file, pair);
      this.o.onRotate(pair);
      this.o.log.info({ file: this.o.file, csr: got.csrName, notAfter: certInfo(pair.cert).notAfter.toISOString() }, 'Rotated certificate');
      return pair;
    } finally {
      bootstrap?.close();
    }
  }

  stop(): void {
    this.stopped = true;
    this.aborter.abort();
    if (this.timer) clearTimeout(this.timer);
  }
}
