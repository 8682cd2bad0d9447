// Serving certificate rotation: checks on a timer whether a serving certificate is due (renewal.ts), issues
// the new one from its CA, writes it, and hands it to the server (which swaps its TLS context without a restart).
import { ensureLeaf, type LeafDef } from './cluster_pki.js';
import type { CertKeyPair, SigningCA } from './certs.js';

export interface RotatorOptions {
  dir: string;
  def: LeafDef;
  ca: SigningCA;
  /** Called with each new certificate (e.g. server.setSecureContext). */
  onRotate: (pair: CertKeyPair) => void;
  onError?: (e: unknown) => void;
  /** How often to check (default 1 h). */
  intervalMs?: number;
  lifetimeMs?: number;
  now?: () => Date;
}

export class ServingCertRotator {
  private timer?: NodeJS.Timeout;
  private checking?: Promise<boolean>;

  constructor(private readonly o: RotatorOptions) {}

  start(): void {
    const tick = () => {
      void this.check();
      this.timer = setTimeout(tick, this.o.intervalMs ?? 3600_000);
      this.timer.unref();
    };
    this.timer = setTimeout(tick, this.o.intervalMs ?? 3600_000);
    this.timer.unref();
  }

  /** One check; true when a new certificate was issued and handed over. */
  check(): Promise<boolean> {
    this.checking ??= (async () => {
      try {
        const now = (this.o.now ?? (() => new Date()))();
        const { pair, issued } = await ensureLeaf(this.o.dir, this.o.def, this.o.ca, now, this.o.lifetimeMs);
        if (issued) this.o.onRotate(pair);
        return issued;
      } catch (e) {
        this.o.onError?.(e);
        return false;
      } finally {
        this.checking = undefined;
      }
    })();
    return this.checking;
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
  }
}
