// Container lifecycle hooks (upstream pkg/kubelet/lifecycle/handlers.go + the hook parts of kuberuntime):
// runs a postStart/preStop LifecycleHandler (exec, httpGet, sleep) and reports {ok, message} with
// upstream's wording; preStop is bounded by a deadline (the grace period) and records FailedPreStopHook.
import type { Container, LifecycleHandler, Pod } from '../../api/core/v1/types.js';
import { containerFieldPath, type Recorder } from '../events.js';
import { buildURL, httpGet, requestHeaders } from '../prober/http_get.js';
import { resolvePort } from '../prober/ports.js';
import { goQuote, majorMinor, MAX_PROBE_OUTPUT, type ExecFn } from '../prober/types.js';

export const FailedPostStartHook = 'FailedPostStartHook';
export const FailedPreStopHook = 'FailedPreStopHook';
/** Waiting reason upstream shows for a container whose postStart hook failed. */
export const PostStartHookError = 'PostStartHookError';
/** Upstream minimumGracePeriodInSeconds: what is left for SIGTERM after a preStop hook, at least. */
export const MIN_GRACE_PERIOD_SECONDS = 2;
const DEADLINE_SLACK_MS = 20;

export interface HookTarget {
  pod: Pod;
  container: Container;
  /** Runtime id (no "scheme://" prefix). */
  containerId: string;
  /** Host for httpGet hooks without an explicit host. */
  podIP?: string;
}

export interface HookDeps {
  exec: ExecFn;
  recorder?: Recorder;
  kubeVersion?: string;
}

export interface HookResult {
  ok: boolean;
  /** Empty on success; upstream's "... lifecycle hook ... failed - error: ..." text otherwise. */
  message: string;
}

export interface PreStopResult extends HookResult {
  elapsedMs: number;
  /** The deadline passed before the hook finished (not a hook failure: no event, termination goes on). */
  timedOut: boolean;
}

/** upstream format.Pod: "name_namespace(uid)". */
export function formatPod(pod: Pod): string {
  return `${pod.metadata.name ?? ''}_${pod.metadata.namespace ?? ''}(${pod.metadata.uid ?? ''})`;
}

function abortable(ms: number, signal?: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(false);
    const t = setTimeout(
      () => {
        signal?.removeEventListener('abort', onAbort);
        resolve(true);
      },
      Math.max(0, ms),
    );
    const onAbort = () => {
      clearTimeout(t);
      resolve(false);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Runs one handler. `deadline` (epoch ms) bounds exec (as its timeout) and http; `signal` aborts http and
 * sleep. Never throws.
 */
export async function runLifecycleHandler(
  handler: LifecycleHandler,
  t: HookTarget,
  deps: HookDeps,
  opts: { deadline?: number; signal?: AbortSignal } = {},
): Promise<HookResult> {
  const who = `for Container ${goQuote(t.container.name)} in Pod ${goQuote(formatPod(t.pod))}`;
  if (handler.exec) {
    const cmd = handler.exec.command ?? [];
    const timeoutSec = opts.deadline !== undefined ? Math.max(1, Math.ceil((opts.deadline - Date.now()) / 1000)) : 0;
    try {
      const res = await deps.exec(t.containerId, cmd, timeoutSec);
      const output = (res.stdout + res.stderr).slice(0, MAX_PROBE_OUTPUT);
      if (res.timedOut) {
        return {
          ok: false,
          message: `Exec lifecycle hook ([${cmd.join(' ')}]) ${who} failed - error: command ${goQuote(cmd.join(' '))} timed out, message: ${goQuote(output)}`,
        };
      }
      if (res.exitCode !== 0) {
        const err = `command '${cmd.join(' ')}' exited with ${res.exitCode}: ${res.stderr}`;
        return { ok: false, message: `Exec lifecycle hook ([${cmd.join(' ')}]) ${who} failed - error: ${err}, message: ${goQuote(output)}` };
      }
      return { ok: true, message: '' };
    } catch (e) {
      return { ok: false, message: `Exec lifecycle hook ([${cmd.join(' ')}]) ${who} failed - error: ${(e as Error).message}, message: ""` };
    }
  }
  if (handler.httpGet) {
    const a = handler.httpGet;
    const fail = (err: string): HookResult => ({ ok: false, message: `HTTP lifecycle hook (${a.path ?? ''}) ${who} failed - error: ${err}` });
    const host = a.host || t.podIP;
    if (!host) return fail('failed to find networking container: pod has no IP address');
    const port = resolvePort(a.port, t.container);
    if (port instanceof Error) return fail(port.message);
    try {
      // Upstream: the hook's client follows redirects anywhere and does not look at the status code.
      await httpGet({
        url: buildURL(a.scheme, host, port, a.path),
        headers: requestHeaders(a.httpHeaders, `kube-lifecycle/${majorMinor(deps.kubeVersion)}`),
        timeoutMs: opts.deadline !== undefined ? Math.max(1, opts.deadline - Date.now()) : undefined,
        followNonLocalRedirects: true,
        maxBody: MAX_PROBE_OUTPUT,
        signal: opts.signal,
      });
      return { ok: true, message: '' };
    } catch (e) {
      return fail((e as Error).message);
    }
  }
  if (handler.sleep) {
    const seconds = handler.sleep.seconds;
    const finished = await abortable(seconds * 1000, opts.signal);
    if (!finished) return { ok: false, message: `Sleep lifecycle hook (${seconds}) ${who} failed - error: container terminated before sleep hook finished` };
    return { ok: true, message: '' };
  }
  return { ok: false, message: `Cannot run handler: invalid handler: ${JSON.stringify(handler)}` };
}

function record(deps: HookDeps, t: HookTarget, reason: string, message: string): void {
  try {
    deps.recorder?.event(t.pod, 'Warning', reason, message, containerFieldPath(t.pod, t.container.name));
  } catch {
    // best effort
  }
}

/**
 * postStart: runs right after the container started; the caller must not report the container Running
 * (nor start the next one) before this resolves. On failure a FailedPostStartHook event "PostStartHook
 * failed" is recorded (upstream keeps the detail out of events) and the caller kills the container.
 */
export async function runPostStart(handler: LifecycleHandler, t: HookTarget, deps: HookDeps): Promise<HookResult> {
  const res = await runLifecycleHandler(handler, t, deps);
  if (!res.ok) record(deps, t, FailedPostStartHook, 'PostStartHook failed');
  return res;
}

/**
 * preStop: runs before the stop signal and never past `deadlineMs` (epoch ms; the end of the grace period).
 * A failing hook records FailedPreStopHook "PreStopHook failed"; termination goes on either way.
 */
export async function runPreStop(handler: LifecycleHandler, deadlineMs: number, t: HookTarget, deps: HookDeps): Promise<PreStopResult> {
  const start = Date.now();
  const ac = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<'expired'>((resolve) => {
    timer = setTimeout(() => resolve('expired'), Math.max(0, deadlineMs - start));
  });
  const run = runLifecycleHandler(handler, t, deps, { deadline: deadlineMs, signal: ac.signal });
  const res = await Promise.race([run, expired]);
  clearTimeout(timer);
  const elapsedMs = Date.now() - start;
  if (res === 'expired') {
    ac.abort();
    run.catch(() => {});
    return { ok: false, message: 'PreStop hook not completed in grace period', elapsedMs, timedOut: true };
  }
  // A handler that gave up because the deadline came (its own timeout firing first) ran out of grace too.
  if (!res.ok && Date.now() >= deadlineMs - DEADLINE_SLACK_MS)
    return { ok: false, message: 'PreStop hook not completed in grace period', elapsedMs, timedOut: true };
  if (!res.ok) record(deps, t, FailedPreStopHook, 'PreStopHook failed');
  return { ...res, elapsedMs, timedOut: false };
}

/** Grace period left for SIGTERM→SIGKILL after a preStop hook took elapsedMs (upstream: at least 2 s). */
export function gracePeriodAfterPreStop(gracePeriodSeconds: number, elapsedMs: number): number {
  return Math.max(MIN_GRACE_PERIOD_SECONDS, gracePeriodSeconds - Math.trunc(elapsedMs / 1000));
}
