// Runs one probe of a container (upstream pkg/kubelet/prober/prober.go): picks the handler, retries
// handler errors up to 3 times, maps outcomes to Success/Failure and records Unhealthy/ProbeWarning events.
import type { Container, Pod, Probe } from '../../api/core/v1/types.js';
import { containerFieldPath, type Recorder } from '../events.js';
import { runExecProbe } from './exec_runner.js';
import { runGRPCProbe } from './grpc_runner.js';
import { runHTTPProbe } from './http_runner.js';
import { runTCPProbe } from './tcp_runner.js';
import { kindTitle, type ExecFn, type ProbeKind, type ProbeOutcome } from './types.js';

/** Upstream maxProbeRetries: handler errors (not failures) are retried this many times in one probe. */
export const MAX_PROBE_RETRIES = 3;

/** What the worker does with a probe: Success/Failure are counted, Error is thrown away. */
export type ProbeVerdict = 'Success' | 'Failure' | 'Error';

export interface ProbeRequest {
  kind: ProbeKind;
  pod: Pod;
  container: Container;
  /** Runtime id (no "scheme://" prefix). */
  containerId: string;
  podIP?: string;
}

export interface ProberOptions {
  exec: ExecFn;
  recorder?: Recorder;
  kubeVersion?: string;
}

export function probeSpec(container: Container, kind: ProbeKind): Probe | undefined {
  return kind === 'liveness' ? container.livenessProbe : kind === 'readiness' ? container.readinessProbe : container.startupProbe;
}

/** Runs the probe's handler once (no retries, no events). */
export function runHandler(p: Probe, req: ProbeRequest, opts: Pick<ProberOptions, 'exec' | 'kubeVersion'>): Promise<ProbeOutcome> {
  const timeoutSec = p.timeoutSeconds || 1;
  if (p.exec) return runExecProbe(opts.exec, req.containerId, p.exec.command ?? [], timeoutSec);
  if (p.httpGet) return runHTTPProbe({ action: p.httpGet, container: req.container, podIP: req.podIP, timeoutSec, kubeVersion: opts.kubeVersion });
  if (p.tcpSocket) return runTCPProbe({ action: p.tcpSocket, container: req.container, podIP: req.podIP, timeoutSec });
  if (p.grpc) return runGRPCProbe({ action: p.grpc, podIP: req.podIP, timeoutSec, kubeVersion: opts.kubeVersion });
  return Promise.resolve({ result: 'Unknown', output: `missing probe handler for ${req.container.name}` });
}

export class Prober {
  constructor(private readonly opts: ProberOptions) {}

  async probe(req: ProbeRequest): Promise<ProbeVerdict> {
    const p = probeSpec(req.container, req.kind);
    if (!p) return 'Success';
    let out: ProbeOutcome = { result: 'Unknown', output: '' };
    for (let i = 0; i < MAX_PROBE_RETRIES; i++) {
      try {
        out = await runHandler(p, req, this.opts);
      } catch (e) {
        out = { result: 'Unknown', output: (e as Error).message };
      }
      if (out.result !== 'Unknown') break;
    }
    switch (out.result) {
      case 'Success':
        if (out.warning !== undefined) this.event(req, 'ProbeWarning', `probe warning: ${out.warning}`);
        return 'Success';
      case 'Failure':
        this.event(req, 'Unhealthy', `probe failed: ${out.output}`);
        return 'Failure';
      default:
        this.event(req, 'Unhealthy', `probe errored and resulted in unknown state: ${out.output}`);
        return 'Error';
    }
  }

  /** A Warning event "<Kind> <what>" on the container (built only when there is one to record). */
  private event(req: ProbeRequest, reason: string, what: string): void {
    const recorder = this.opts.recorder;
    if (!recorder) return;
    try {
      recorder.event(req.pod, 'Warning', reason, `${kindTitle(req.kind)} ${what}`, containerFieldPath(req.pod, req.container.name));
    } catch {
      // events are best effort
    }
  }
}
