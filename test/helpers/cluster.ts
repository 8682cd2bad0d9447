// Test harness: starts a real `k8ts server` process on a free loopback port with its own data dir, and
// runs the real kubectl against it.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync, readlinkSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const K8TS_BIN = join(ROOT, 'bin/k8ts');

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface StartOptions {
  store?: 'sqlite' | 'memory';
  dataDir?: string;
  agent?: boolean;
  extraArgs?: string[];
  env?: Record<string, string>;
}

/** Path of a specific kubectl minor version (kubectl.1.27 ... kubectl.1.33 beside the PATH binary). */
export function kubectlBinary(minor?: number): string {
  if (minor === undefined) return 'kubectl';
  let p: string;
  try {
    p = realpathSync('/usr/bin/kubectl');
  } catch {
    return 'kubectl';
  }
  const candidate = join(dirname(p), `kubectl.1.${minor}`);
  return existsSync(candidate) ? candidate : 'kubectl';
}

export class TestCluster {
  proc?: ChildProcess;
  server = '';
  kubeconfig = '';
  readonly dataDir: string;
  private ownsDir: boolean;
  private cacheDir: string;
  private output = '';

  constructor(private readonly opts: StartOptions = {}) {
    this.ownsDir = !opts.dataDir;
    this.dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'k8ts-test-'));
    this.cacheDir = mkdtempSync(join(tmpdir(), 'k8ts-kcache-'));
  }

  get logs(): string {
    return this.output;
  }

  async start(): Promise<this> {
    const args = [K8TS_BIN, 'server', '--data-dir', this.dataDir, '--listen', '127.0.0.1:0', '--store', this.opts.store ?? 'memory'];
    if (this.opts.agent === false || this.opts.agent === undefined) args.push('--no-agent');
    args.push(...(this.opts.extraArgs ?? []));
    const proc = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...(this.opts.env ?? {}) } });
    this.proc = proc;
    await new Promise<void>((resolveP, reject) => {
      const timer = setTimeout(() => reject(new Error(`server did not start in time:\n${this.output}`)), 30_000);
      const onData = (d: Buffer) => {
        this.output += d.toString();
        const m = /listening on (http:\/\/\S+)/.exec(this.output);
        const k = /kubeconfig: (\S+)/.exec(this.output);
        if (m && k) {
          this.server = m[1];
          this.kubeconfig = k[1];
          clearTimeout(timer);
          resolveP();
        }
      };
      proc.stdout!.on('data', onData);
      proc.stderr!.on('data', (d: Buffer) => (this.output += d.toString()));
      proc.on('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`server exited with ${code}:\n${this.output}`));
      });
    });
    return this;
  }

  kubectl(args: string[], opts: { input?: string; minor?: number; timeoutMs?: number } = {}): Promise<KubectlResult> {
    const bin = kubectlBinary(opts.minor);
    return new Promise((resolveP) => {
      const child = execFile(
        bin,
        ['--kubeconfig', this.kubeconfig, '--cache-dir', this.cacheDir, ...args],
        { timeout: opts.timeoutMs ?? 60_000, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, HOME: this.cacheDir } },
        (err, stdout, stderr) => {
          const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : 1) : 0;
          resolveP({ code, stdout: String(stdout), stderr: String(stderr) });
        },
      );
      if (opts.input !== undefined) child.stdin!.end(opts.input);
      else child.stdin?.end();
    });
  }

  /** kubectl that must succeed; returns stdout. */
  async k(args: string[], opts: { input?: string; minor?: number } = {}): Promise<string> {
    const r = await this.kubectl(args, opts);
    if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.code}): ${r.stderr}${r.stdout}`);
    return r.stdout;
  }

  async api(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any; text: string; headers: Headers }> {
    const init: RequestInit = { method, headers: { ...headers } };
    if (body !== undefined) {
      init.body = typeof body === 'string' || Buffer.isBuffer(body) ? (body as string) : JSON.stringify(body);
      (init.headers as Record<string, string>)['Content-Type'] ??= 'application/json';
    }
    const res = await fetch(this.server + path, init);
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    return { status: res.status, body: parsed, text, headers: res.headers };
  }

  /** Stop and start again on the same data dir (a new port and kubeconfig). */
  async restart(): Promise<this> {
    await this.stop();
    this.output = '';
    return this.start();
  }

  /** SIGTERM and wait for exit; returns the exit code. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    const p = this.proc;
    if (!p || p.exitCode !== null || p.signalCode !== null) return p?.exitCode ?? null;
    const exited = new Promise<number | null>((r) => p.once('exit', (c) => r(c)));
    p.kill(signal);
    const t = setTimeout(() => p.kill('SIGKILL'), 15_000);
    const code = await exited;
    clearTimeout(t);
    return code;
  }

  async cleanup(): Promise<void> {
    await this.stop();
    rmSync(this.cacheDir, { recursive: true, force: true });
    if (this.ownsDir) rmSync(this.dataDir, { recursive: true, force: true });
  }
}

export async function waitFor<T>(fn: () => Promise<T | undefined | false>, timeoutMs = 20_000, intervalMs = 100): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < end) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`timed out waiting${last ? `: ${String(last)}` : ''}`);
}
