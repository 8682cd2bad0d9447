// A long-running `kubectl get -w --output-watch-events` whose lines (one per watch event, formatted by a
// go-template) the test reads as they come; stopped by PID.
import { spawn, type ChildProcess } from 'node:child_process';
import type { TestCluster } from '../../helpers/cluster.js';
import { kubectlBinary } from '../../helpers/cluster.js';

export class KubectlWatch {
  readonly lines: string[] = [];
  private proc: ChildProcess;
  private buf = '';

  /** `args` select what to watch (e.g. ['pods', '-l', 'app=web']); `template` formats each event's `.object`. */
  constructor(c: TestCluster, args: string[], template: string, minor?: number) {
    const tpl = `{{.type}} ${template}{{"\\n"}}`;
    this.proc = spawn(kubectlBinary(minor), ['--kubeconfig', c.kubeconfig, 'get', ...args, '-w', '--output-watch-events', '-o', `go-template=${tpl}`], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.proc.stdout!.on('data', (d: Buffer) => {
      this.buf += d.toString();
      let i: number;
      while ((i = this.buf.indexOf('\n')) >= 0) {
        const line = this.buf.slice(0, i).trim();
        this.buf = this.buf.slice(i + 1);
        if (line) this.lines.push(line);
      }
    });
  }

  /** Index of the first line at or after `from` matching `re`, or -1. */
  indexOf(re: RegExp, from = 0): number {
    for (let i = from; i < this.lines.length; i++) if (re.test(this.lines[i]!)) return i;
    return -1;
  }

  stop(): void {
    if (this.proc.exitCode === null && this.proc.pid) this.proc.kill('SIGTERM');
  }
}
