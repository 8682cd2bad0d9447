// Test harness: starts a real `k8ts server` process on a free loopback port with its own data dir, and
// runs the real kubectl against it. Everything talks HTTPS with the admin kubeconfig's client certificate and
// CA (api(), request(), tls()); userKubeconfig() makes kubeconfigs for other users signed by the client CA.
import https from 'node:https';
import type { IncomingMessage } from 'node:http';
import { reservePodSubnet } from './subnet.js';
import { loadKubeconfig } from '../../src/client/kubeconfig.js';
import { writeKubeconfig } from '../../src/cli/kubeconfig.js';
import { loadCA } from '../../src/pki/certs.js';
import { issueClientCert } from '../../src/pki/cluster_pki.js';
import { readPair } from '../../src/pki/files.js';
import { runDirFor } from '../../src/runtime/layout.js';
import { tableForBridge } from '../../src/kubeproxy/nft.js';
import { spawn, execFile, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync, realpathSync, readdirSync, readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
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
  /**
   * agent mode: listen on every address and advertise the node bridge's gateway (the .1 of clusterCIDR), so
   * pods reach the API server at the `kubernetes` Service's endpoint.
   */
  podReachableAPI?: boolean;
  /**
   * Without the agent: run the server's scheduler (its default). Off unless asked, so API tests see pods as they
   * made them (no binding attempts, no FailedScheduling events).
   */
  scheduler?: boolean;
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

export const BUSYBOX_TAR = join(ROOT, 'build/images/busybox.oci.tar');

/** Whether this host can run real pods (root + runc/conmon/catatonit/CNI + busybox-static). */
export function hostCanRunPods(): boolean {
  return (
    process.getuid?.() === 0 && ['/usr/sbin/runc', '/usr/bin/conmon', '/usr/bin/catatonit', '/usr/lib/cni/bridge', '/bin/busybox'].every((p) => existsSync(p))
  );
}

/** Builds build/images/busybox.oci.tar if missing and loads it into dataDir's image store. */
export function loadBusybox(dataDir: string): void {
  if (!existsSync(BUSYBOX_TAR)) execFileSync('bash', [join(ROOT, 'scripts/build-busybox-image.sh'), BUSYBOX_TAR], { stdio: 'ignore' });
  execFileSync(process.execPath, [K8TS_BIN, 'image', 'load', BUSYBOX_TAR, '--data-dir', dataDir], { stdio: 'ignore' });
}

export class TestCluster {
  proc?: ChildProcess;
  /** agent mode: unique host resource names of this cluster. */
  readonly bridgeName: string = `k8ts-${randomBytes(3).toString('hex')}`;
  private subnet = reservePodSubnet();
  readonly clusterCIDR: string = this.subnet.subnet;
  readonly cgroupParent: string = `/${this.bridgeName}`;
  /** agent mode: the nftables table of this cluster's kube-proxy (`ip <name>`). */
  readonly nftTable: string = tableForBridge(this.bridgeName);
  /**
   * agent mode: this cluster's own Service range and NodePort range (the subnet lock's number picks them), so
   * the Service rules of clusters running side by side on this host never overlap. Without the agent the
   * defaults (10.96.0.0/12, 30000-32767) stay.
   */
  readonly serviceCIDR: string = `10.100.${this.subnet.octet}.0/24`;
  readonly nodePortRange: string = `${30000 + (this.subnet.octet - 10) * 11}-${30000 + (this.subnet.octet - 10) * 11 + 10}`;
  /** agent mode: the node bridge's address on the host (the pods' gateway, the .1 of clusterCIDR). */
  get nodeGateway(): string {
    return this.clusterCIDR.replace(/\.\d+\/\d+$/, '.1');
  }
  private sandboxNetns = new Set<string>();
  private busyboxLoaded = false;
  server = '';
  kubeconfig = '';
  readonly dataDir: string;
  private ownsDir: boolean;
  private cacheDir: string;
  private output = '';
  private agent?: https.Agent;
  private creds?: { ca: Buffer; cert: Buffer; key: Buffer };

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
    // the cluster DNS on a port of its own (pods reach it at their gateway in agent mode)
    if (this.opts.agent === false || this.opts.agent === undefined)
      args.push('--no-agent', ...(this.opts.scheduler ? [] : ['--no-scheduler']), '--dns-listen', '127.0.0.1:0');
    else {
      if (!this.busyboxLoaded) loadBusybox(this.dataDir);
      this.busyboxLoaded = true;
      args.push('--bridge-name', this.bridgeName, '--cluster-cidr', this.clusterCIDR, '--kubelet-port', '0', '--cgroup-parent', this.cgroupParent);
      args.push('--service-cluster-ip-range', this.serviceCIDR, '--service-node-port-range', this.nodePortRange, '--dns-listen', '0.0.0.0:0');
      if (this.opts.podReachableAPI) args.push('--listen', '0.0.0.0:0', '--advertise-address', this.nodeGateway);
    }
    args.push(...(this.opts.extraArgs ?? []));
    // K8TS_SERVER_NODE_ARGS: extra node flags for the server process (e.g. --cpu-prof while profiling a benchmark)
    const nodeArgs = (process.env.K8TS_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
    const proc = spawn(process.execPath, [...nodeArgs, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...(this.opts.env ?? {}) } });
    this.proc = proc;
    await new Promise<void>((resolveP, reject) => {
      const timer = setTimeout(() => reject(new Error(`server did not start in time:\n${this.output}`)), 30_000);
      let started = false;
      const onData = (d: Buffer) => {
        this.output += d.toString();
        // later output (the join line) must not replace the agent under requests in flight
        if (started) return;
        const m = /listening on (https:\/\/\S+)/.exec(this.output);
        const k = /kubeconfig: (\S+)/.exec(this.output);
        if (m && k) {
          started = true;
          this.server = m[1];
          this.kubeconfig = k[1];
          const kc = loadKubeconfig(this.kubeconfig);
          this.creds = { ca: kc.ca as Buffer, cert: kc.cert as Buffer, key: kc.key as Buffer };
          this.agent?.destroy();
          this.agent = new https.Agent({ keepAlive: true, ...this.creds });
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
        [...(args[0] === '--kubeconfig' ? [] : ['--kubeconfig', this.kubeconfig]), '--cache-dir', this.cacheDir, ...args],
        { timeout: opts.timeoutMs ?? 60_000, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, HOME: this.cacheDir } },
        (err, stdout, stderr) => {
          const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
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

  /** The admin kubeconfig's CA, client certificate and key (for ws, raw https requests, other clients). */
  tls(): { ca: Buffer; cert: Buffer; key: Buffer } {
    if (!this.creds) throw new Error('cluster not started');
    return this.creds;
  }

  /**
   * An HTTPS request as the admin (keep-alive; `agent: false` for a connection of its own); resolves with the
   * response once its headers arrive (read or stream the body yourself). `auth: false` sends no client
   * certificate (an anonymous request); `signal` aborts it.
   */
  async request(
    method: string,
    path: string,
    o: { headers?: Record<string, string | string[]>; body?: string | Buffer; auth?: boolean; signal?: AbortSignal; agent?: false } = {},
  ): Promise<IncomingMessage> {
    try {
      return await this.requestOnce(method, path, o);
    } catch (e) {
      // a keep-alive socket closed just as it was reused: send a read again, as kubectl's transport would
      if (method === 'GET' && (e as { reusedSocket?: boolean }).reusedSocket && (e as NodeJS.ErrnoException).code === 'ECONNRESET')
        return this.requestOnce(method, path, o);
      throw e;
    }
  }

  private requestOnce(
    method: string,
    path: string,
    o: { headers?: Record<string, string | string[]>; body?: string | Buffer; auth?: boolean; signal?: AbortSignal; agent?: false },
  ): Promise<IncomingMessage> {
    const creds = this.tls();
    const u = new URL(this.server);
    // Node sends no Content-Length of its own for a DELETE (or GET) with a body
    const headers = o.body === undefined ? o.headers : { ...o.headers, 'Content-Length': String(Buffer.byteLength(o.body)) };
    return new Promise((resolveP, reject) => {
      const req = https.request(
        {
          host: u.hostname,
          port: u.port,
          method,
          path,
          headers,
          signal: o.signal,
          ...(o.auth === false ? { ca: creds.ca, agent: false } : o.agent === false ? { ...creds, agent: false } : { agent: this.agent }),
        },
        resolveP,
      );
      req.on('error', (e) => reject(Object.assign(e, { reusedSocket: req.reusedSocket })));
      req.end(o.body);
    });
  }

  async api(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
    o: { auth?: boolean } = {},
  ): Promise<{ status: number; body: any; text: string; headers: Headers }> {
    const h: Record<string, string> = { ...headers };
    let payload: string | Buffer | undefined;
    if (body !== undefined) {
      payload = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
      if (!Object.keys(h).some((k) => k.toLowerCase() === 'content-type')) h['Content-Type'] = 'application/json';
    }
    const res = await this.request(method, path, { headers: h, body: payload, auth: o.auth });
    const chunks: Buffer[] = [];
    for await (const c of res) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    const out = new Headers();
    for (const [k, v] of Object.entries(res.headers)) {
      if (v === undefined) continue;
      for (const one of Array.isArray(v) ? v : [v]) out.append(k, one);
    }
    return { status: res.statusCode ?? 0, body: parsed, text, headers: out };
  }

  /**
   * A kubeconfig (in this cluster's data dir) for `user` in `groups`, with a client certificate signed by the
   * cluster's client CA; `lifetimeMs`/`now` make short-lived or already expired ones.
   */
  async userKubeconfig(user: string, groups: string[] = [], o: { lifetimeMs?: number; now?: Date } = {}): Promise<string> {
    const pair = readPair(join(this.dataDir, 'pki'), 'client-ca');
    if (!pair) throw new Error('the cluster has no client CA yet (start it first)');
    const id = await issueClientCert(await loadCA(pair), user, groups, o.lifetimeMs, o.now);
    const path = join(this.dataDir, `user-${user.replace(/[^a-zA-Z0-9_.-]/g, '_')}-${randomBytes(3).toString('hex')}.kubeconfig`);
    writeKubeconfig(path, this.server, id, this.tls().ca.toString('utf8'), user);
    return path;
  }

  /** kubectl with another kubeconfig (e.g. one from userKubeconfig). */
  kubectlAs(kubeconfig: string, args: string[], opts: { input?: string; minor?: number; timeoutMs?: number } = {}): Promise<KubectlResult> {
    return this.kubectl(['--kubeconfig', kubeconfig, ...args], opts);
  }

  /** Stop and start again on the same data dir (a new port and kubeconfig). */
  async restart(signal: NodeJS.Signals = 'SIGTERM'): Promise<this> {
    await this.stop(signal);
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

  /** Sandboxes' netns names as recorded in the data dir (agent mode). */
  private recordSandboxes(): void {
    const dir = join(this.dataDir, 'sandboxes');
    if (!existsSync(dir)) return;
    for (const id of readdirSync(dir)) {
      try {
        const rec = JSON.parse(readFileSync(join(dir, id, 'sandbox.json'), 'utf8')) as { netnsName?: string };
        if (rec.netnsName) this.sandboxNetns.add(rec.netnsName);
      } catch {
        /* partial */
      }
    }
  }

  /**
   * Agent mode teardown: delete every pod through the API and wait, stop the server, remove whatever the
   * runtime still holds in this data dir, delete the bridge and cgroups; returns leftovers (should be []).
   */
  async cleanupAgent(): Promise<string[]> {
    const leftovers: string[] = [];
    this.recordSandboxes();
    if (this.proc && this.proc.exitCode === null && this.proc.signalCode === null) {
      await this.kubectl(['delete', 'pods', '--all', '--all-namespaces', '--grace-period=1', '--wait=false'], { timeoutMs: 20_000 });
      await waitFor(
        async () => {
          const r = await this.kubectl(['get', 'pods', '-A', '-o', 'name']);
          return r.code === 0 && r.stdout.trim() === '';
        },
        30_000,
        250,
      ).catch(() => leftovers.push('pods still present after delete'));
    }
    this.recordSandboxes();
    await this.stop();
    const { RuncRuntimeService } = await import('../../src/runtime/index.js');
    const rt = new RuncRuntimeService({ dataDir: this.dataDir, bridgeName: this.bridgeName, podSubnet: this.clusterCIDR, cgroupParent: this.cgroupParent });
    for (const c of await rt.listContainers().catch(() => [])) {
      leftovers.push(`container ${c.name}`);
      await rt.removeContainer(c.id).catch(() => {});
    }
    for (const sb of await rt.listPodSandboxes().catch(() => [])) {
      leftovers.push(`sandbox ${sb.metadata.name}`);
      await rt.stopPodSandbox(sb.id).catch(() => {});
      await rt.removePodSandbox(sb.id).catch(() => {});
    }
    // the proxy keeps its rules when it exits (as upstream); the cluster's end removes them, as `k8ts proxy --cleanup`
    try {
      execFileSync('nft', ['delete', 'table', 'ip', this.nftTable], { stdio: 'ignore' });
    } catch {
      /* none */
    }
    try {
      execFileSync('ip', ['link', 'del', this.bridgeName], { stdio: 'ignore' });
    } catch {
      /* not there */
    }
    try {
      // the pod masquerade table the runtime drops with the last pod (left when the server died first)
      execFileSync('nft', ['delete', 'table', 'ip', `k8ts-masq-${this.bridgeName}`], { stdio: 'ignore' });
    } catch {
      /* not there */
    }
    const netns = (() => {
      try {
        return execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' });
      } catch {
        return '';
      }
    })();
    for (const n of this.sandboxNetns) if (netns.includes(n)) leftovers.push(`netns ${n}`);
    const runDir = runDirFor(this.dataDir);
    const mounts = readFileSync('/proc/self/mountinfo', 'utf8')
      .split('\n')
      .map((l) => l.split(' ')[4] ?? '')
      .filter((m) => m.startsWith(this.dataDir) || m.startsWith(`${runDir}/`));
    for (const m of mounts) leftovers.push(`mount ${m}`);
    removeRunDir(this.dataDir);
    for (const h of existsSync('/sys/fs/cgroup') ? ['', ...readdirSync('/sys/fs/cgroup')] : []) {
      const p = join('/sys/fs/cgroup', h, this.cgroupParent);
      if (!existsSync(p)) continue;
      try {
        execFileSync('find', [p, '-depth', '-type', 'd', '-exec', 'rmdir', '{}', ';'], { stdio: 'ignore' });
      } catch {
        leftovers.push(`cgroup ${p}`);
      }
    }
    return leftovers;
  }

  async cleanup(): Promise<void> {
    if (this.opts.agent) await this.cleanupAgent();
    await this.stop();
    this.agent?.destroy();
    removeRunDir(this.dataDir);
    rmSync(this.cacheDir, { recursive: true, force: true });
    if (this.ownsDir) rmSync(this.dataDir, { recursive: true, force: true });
    this.subnet.release();
  }
}

/** Remove the runtime's per-boot dir (/run/k8ts/<hash>) of a data dir, unless something is still mounted in it. */
export function removeRunDir(dataDir: string): void {
  const runDir = runDirFor(dataDir);
  const mounted = readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .some((l) => (l.split(' ')[4] ?? '').startsWith(`${runDir}/`));
  if (!mounted) rmSync(runDir, { recursive: true, force: true });
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

/** The whole body of a response (c.request's). */
export async function readBody(res: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of res) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}
