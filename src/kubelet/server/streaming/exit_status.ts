// The Status a remote command reports on its error channel/stream when it ends: Success, a
// NonZeroExitCode failure carrying the exit code (kubectl exits with it), or an internal error.
import type { Status } from '../../../api/types.js';

export function successStatus(): Status {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success' } as Status;
}

/** Upstream's message: `command terminated with non-zero exit code: <err>` with reason NonZeroExitCode. */
export function exitCodeStatus(code: number, command: string[] = []): Status {
  if (code === 0) return successStatus();
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: error executing command [${command.join(' ')}], exit code ${code}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(code) }] },
  } as Status;
}

export function internalErrorStatus(message: string): Status {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: 'InternalError', code: 500 } as Status;
}

/**
 * What goes on the error channel for `protocol`: v4/v5 a Status JSON (nothing on success for v1–v3,
 * whose clients read the error channel as plain text and treat any text as a failure).
 */
export function errorChannelPayload(protocol: string, st: Status): Buffer | undefined {
  const v4plus = protocol === 'v4.channel.k8s.io' || protocol === 'v5.channel.k8s.io';
  if (v4plus) return Buffer.from(JSON.stringify(st));
  if (st.status === 'Success') return undefined;
  return Buffer.from(st.message ?? 'error');
}
