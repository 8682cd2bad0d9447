// Shared vocabulary of the prober (upstream pkg/probe + pkg/kubelet/prober/results): handler outcomes,
// probe kinds, the injected exec function and clock, and the kube-probe User-Agent.
import type { ExecResult } from '../../runtime/types.js';

/** What one handler run concluded (upstream probe.Result; Warning is folded into Success + `warning`). */
export type ProbeResult = 'Success' | 'Failure' | 'Unknown';

export interface ProbeOutcome {
  result: ProbeResult;
  /** Body / command output on success or failure, the error text when Unknown. */
  output: string;
  /** Set when upstream would return probe.Warning (e.g. a redirect to another host): counted as Success. */
  warning?: string;
}

export type ProbeKind = 'liveness' | 'readiness' | 'startup';

/** Runs a command in a container (RuntimeService.execSync fits). */
export type ExecFn = (containerId: string, cmd: string[], timeoutSec: number) => Promise<ExecResult>;

/** Upstream kubelet's default version string for User-Agent headers (`kube-probe/<major>.<minor>`). */
export const DEFAULT_KUBE_VERSION = '1.33';

/** "v1.33.0+k8ts" / "1.33" → "1.33". */
export function majorMinor(version: string | undefined): string {
  const m = /^v?(\d+)\.(\d+)/.exec(version ?? '');
  return m ? `${m[1]}.${m[2]}` : DEFAULT_KUBE_VERSION;
}

/** Upstream limit on bytes kept from a probe's output / response body. */
export const MAX_PROBE_OUTPUT = 10 * 1024;

/** Go's %q for plain strings (close enough for printable text). */
export function goQuote(s: string): string {
  return JSON.stringify(s);
}

/** Go's time.Duration formatting for whole/fractional seconds ("1s", "1.5s"). */
export function goSeconds(sec: number): string {
  return `${sec}s`;
}

/** Capitalised kind as upstream's probeType.String(): "Liveness", "Readiness", "Startup". */
export function kindTitle(kind: ProbeKind): string {
  return kind[0]!.toUpperCase() + kind.slice(1);
}

/** Time source of the workers and the tick scheduler (injected in tests). */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}
