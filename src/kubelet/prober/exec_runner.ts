// Exec probe handler (upstream pkg/probe/exec): runs the command in the container through the runtime;
// exit 0 = Success, other exits = Failure with the output, a timeout = Failure "command ... timed out".
import { goQuote, MAX_PROBE_OUTPUT, type ExecFn, type ProbeOutcome } from './types.js';

/** Extra time granted to the runtime to report its own timeout before we give up on the call. */
const TIMEOUT_SLACK_MS = 1000;

export function execTimeoutMessage(cmd: string[]): string {
  return `command ${goQuote(cmd.join(' '))} timed out`;
}

export async function runExecProbe(exec: ExecFn, containerId: string, cmd: string[], timeoutSec: number): Promise<ProbeOutcome> {
  if (!cmd.length) return { result: 'Unknown', output: 'exec probe has no command' };
  let timer: NodeJS.Timeout | undefined;
  const guard = new Promise<'timeout'>((resolve) => {
    if (timeoutSec > 0) timer = setTimeout(() => resolve('timeout'), timeoutSec * 1000 + TIMEOUT_SLACK_MS);
  });
  try {
    const res = await Promise.race([exec(containerId, cmd, timeoutSec), guard]);
    if (res === 'timeout' || res.timedOut) return { result: 'Failure', output: execTimeoutMessage(cmd) };
    const output = (res.stdout + res.stderr).slice(0, MAX_PROBE_OUTPUT);
    return { result: res.exitCode === 0 ? 'Success' : 'Failure', output };
  } catch (e) {
    // The runtime could not run the command at all (container gone, exec failed): a probe error.
    return { result: 'Unknown', output: (e as Error).message ?? String(e) };
  } finally {
    if (timer) clearTimeout(timer);
  }
}
