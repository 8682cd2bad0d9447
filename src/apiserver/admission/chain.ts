// The admission chain (upstream's chainAdmissionHandler): every plugin's admit in order, then, once the
// strategy has validated, every plugin's validate in order; each only for the operations it handles.
import type { AdmissionAttributes, AdmissionPlugin } from './interfaces.js';

export class AdmissionChain {
  constructor(readonly plugins: AdmissionPlugin[] = []) {}

  /** Mutating phase. */
  async admit(a: AdmissionAttributes): Promise<void> {
    for (const p of this.plugins) if (p.admit && p.handles(a.operation)) await p.admit(a);
  }

  /** Validating phase. */
  async validate(a: AdmissionAttributes): Promise<void> {
    for (const p of this.plugins) if (p.validate && p.handles(a.operation)) await p.validate(a);
  }
}
