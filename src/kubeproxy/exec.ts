// Runs one of the kernel tools the proxy drives (`nft`, `conntrack`) and collects its exit code and output.
import { spawn } from 'node:child_process';

export interface ToolResult {
  /** The exit code; 127 when the tool is not installed (as a shell says), 1 when it could not start otherwise. */
  code: number;
  stdout: string;
  stderr: string;
}

/** `input` goes to stdin; stdout is collected unless `stdout: false` (a tool whose listing nobody reads). */
export function runTool(bin: string, args: string[], o: { input?: string; stdout?: boolean } = {}): Promise<ToolResult> {
  return new Promise((resolve) => {
    const child = spawn(bin, args, { stdio: [o.input === undefined ? 'ignore' : 'pipe', o.stdout === false ? 'ignore' : 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on('data', (d: Buffer) => out.push(d));
    child.stderr?.on('data', (d: Buffer) => err.push(d));
    child.on('error', (e: NodeJS.ErrnoException) => resolve({ code: e.code === 'ENOENT' ? 127 : 1, stdout: '', stderr: e.message }));
    child.on('close', (code) => resolve({ code: code ?? 1, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() }));
    if (child.stdin) {
      child.stdin.on('error', () => {});
      child.stdin.end(o.input);
    }
  });
}
