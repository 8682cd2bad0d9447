// terminationMessagePolicy FallbackToLogsOnError (upstream kuberuntime): an exited container that failed
// (non-zero exit code) and wrote no termination message gets the tail of its log instead — the last 80
// lines, at most the last 2048 bytes. The policy travels on the container's annotations; each container's
// log tail is read once (it no longer changes) and remembered.
import { readContainerLog } from '../server/log_reader.js';
import type { RuntimePodStatus } from './pod_status.js';

export const FALLBACK_TO_LOGS_ON_ERROR = 'FallbackToLogsOnError';
export const MAX_MESSAGE_LOG_LINES = 80;
export const MAX_MESSAGE_LOG_BYTES = 2048;
const MAX_REMEMBERED = 1024;

/** The last lines of a CRI log file as the termination message (stdout and stderr, without timestamps). */
export async function lastLogMessage(logPath: string): Promise<string> {
  const chunks: Buffer[] = [];
  try {
    await readContainerLog(logPath, { follow: false, previous: false, timestamps: false, tailLines: MAX_MESSAGE_LOG_LINES, stream: 'All' }, (c) => {
      chunks.push(c);
    });
  } catch (e) {
    return `Error on reading termination message from logs: ${(e as Error).message}`;
  }
  const all = Buffer.concat(chunks);
  return all.subarray(Math.max(0, all.length - MAX_MESSAGE_LOG_BYTES)).toString('utf8');
}

export class TerminationMessages {
  private readonly fromLogs = new Map<string, string>();

  /** Fill in the message of failed containers with the fallback policy (mutates `status`). */
  async fill(status: RuntimePodStatus): Promise<void> {
    for (const c of status.containers) {
      if (c.state !== 'exited' || c.message || !c.exitCode || c.terminationMessagePolicy !== FALLBACK_TO_LOGS_ON_ERROR) continue;
      let msg = this.fromLogs.get(c.id);
      if (msg === undefined) {
        msg = await lastLogMessage(c.logPath);
        if (this.fromLogs.size >= MAX_REMEMBERED) this.fromLogs.delete(this.fromLogs.keys().next().value!);
        this.fromLogs.set(c.id, msg);
      }
      if (msg) c.message = msg;
    }
  }
}
