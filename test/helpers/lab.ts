// Test harness for multi-node tests: a TestLab is `scripts/lab.sh up` in a temp dir (a control-plane-only server on
// the host and N node agents, each in its own network namespace), kubectl 1.27–1.33 with its kubeconfig, the
// parsed nodes.tsv, commands run in a node's netns, a node agent killed and started again, and `lab.sh down`
// with a check that nothing named after the lab is left on the host.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeClient } from '../../src/client/rest.js';
import { loadKubeconfig } from '../../src/client/kubeconfig.js';
import { writeKubeconfig } from '../../src/cli/kubeconfig.js';
import { loadCA } from '../../src/pki/certs.js';
import { issueClientCert } from '../../src/pki/cluster_pki.js';
import { readPair } from '../../src/pki/files.js';
import { K8TS_BIN, kubectlBinary, waitFor, type KubectlResult } from './cluster.js';

const LAB_SH = join(K8TS_BIN, '../../scripts/lab.sh');

export interface LabNode {
  name: string;
  /** The node "machine": a network namespace (/run/netns/<netns>). */
  netns: string;
  /** Its InternalIP on the lab bridge. */
  ip: string;
  /** PID of its `k8ts agent` (0 once killed through the lab). */
  pid: number;
}

export interface LabOptions {
  nodes?: number;
  /** Extra `k8ts server` flags (after `--`). */
  serverArgs?: string[];
  /** Environment for lab.sh (e.g. LAB_READY_TIMEOUT). */
  env?: Record<string, string>;
}

function run(cmd: string, args: string[], o: { input?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<KubectlResult> {
  return new Promise((resolveP) => {
    const child = execFile(cmd, args, { timeout: o.timeoutMs ?? 60_000, maxBuffer: 64 * 1024 * 1024, env: o.env ?? process.env }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      resolveP({ code, stdout: String(stdout), stderr: String(stderr) });
    });
    if (o.input !== undefined) child.stdin!.end(o.input);
    else child.stdin?.end();
  });
}

/** Alive and not a zombie (PID 1 here reaps orphans slowly). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

export class TestLab {
  readonly dir: string;
  readonly kubeconfig: string;
  nodes: LabNode[] = [];
  /** The lab's number (its bridge k8tslab<N>, machines 172.29.N.0/24, pods 10.244.N.0/24, Services 10.100.N.0/24). */
  labNumber = 0;
  private cacheDir: string;
  private isUp = false;
  private clients: KubeClient[] = [];

  constructor(private readonly opts: LabOptions = {}) {
    this.dir = mkdtempSync(join(tmpdir(), 'k8ts-lab-'));
    this.cacheDir = join(this.dir, 'kcache');
    this.kubeconfig = join(this.dir, 'kubeconfig.yaml');
  }

  get clusterCIDR(): string {
    return `10.244.${this.labNumber}.0/24`;
  }
  get serviceCIDR(): string {
    return `10.100.${this.labNumber}.0/24`;
  }
  /** The control plane's address on the lab bridge (the API server listens on :6443 there). */
  get hostIP(): string {
    return `172.29.${this.labNumber}.1`;
  }

  /** `lab.sh up`; on failure the lab is taken down again and the error carries the logs' tails. */
  async up(): Promise<this> {
    const args = [LAB_SH, 'up', '--nodes', String(this.opts.nodes ?? 3), '--dir', this.dir];
    if (this.opts.serverArgs?.length) args.push('--', ...this.opts.serverArgs);
    this.isUp = true;
    const r = await run('bash', args, { timeoutMs: 300_000, env: { ...process.env, ...(this.opts.env ?? {}) } });
    this.readEnv();
    if (r.code !== 0) {
      const logs = this.logTails();
      await this.down().catch(() => {});
      throw new Error(`lab.sh up failed (${r.code}): ${r.stderr}${r.stdout}\n${logs}`);
    }
    this.readNodes();
    return this;
  }

  private readEnv(): void {
    const env = join(this.dir, 'lab.env');
    if (!existsSync(env)) return;
    const m = /^LAB_N=(\d+)$/m.exec(readFileSync(env, 'utf8'));
    if (m) this.labNumber = Number(m[1]);
  }

  /** nodes.tsv again (start-node rewrites it). */
  readNodes(): LabNode[] {
    const file = join(this.dir, 'nodes.tsv');
    this.nodes = existsSync(file)
      ? readFileSync(file, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((l) => {
            const [name, netns, ip, pid] = l.split('\t');
            return { name: name!, netns: netns!, ip: ip!, pid: Number(pid) };
          })
      : [];
    return this.nodes;
  }

  node(name: string): LabNode {
    const n = this.nodes.find((x) => x.name === name);
    if (!n) throw new Error(`no node ${name} in the lab (${this.nodes.map((x) => x.name).join(', ')})`);
    return n;
  }

  kubectl(args: string[], opts: { input?: string; minor?: number; timeoutMs?: number } = {}): Promise<KubectlResult> {
    return run(kubectlBinary(opts.minor), [...(args[0] === '--kubeconfig' ? [] : ['--kubeconfig', this.kubeconfig]), '--cache-dir', this.cacheDir, ...args], {
      input: opts.input,
      timeoutMs: opts.timeoutMs,
      env: { ...process.env, HOME: this.cacheDir },
    });
  }

  /** kubectl that must succeed; returns stdout. */
  async k(args: string[], opts: { input?: string; minor?: number; timeoutMs?: number } = {}): Promise<string> {
    const r = await this.kubectl(args, opts);
    if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.code}): ${r.stderr}${r.stdout}`);
    return r.stdout;
  }

  /** A KubeClient with the admin kubeconfig (closed by down()). */
  client(): KubeClient {
    const { namespace: _ns, ...kc } = loadKubeconfig(this.kubeconfig);
    const c = new KubeClient({ ...kc, userAgent: 'k8ts-test-lab' });
    this.clients.push(c);
    return c;
  }

  /** A kubeconfig for `user` in `groups` (client certificate from the lab's client CA). */
  async userKubeconfig(user: string, groups: string[] = []): Promise<string> {
    const pki = join(this.dir, 'server', 'pki');
    const id = await issueClientCert(await loadCA(readPair(pki, 'client-ca')!), user, groups);
    const path = join(this.dir, `user-${user.replace(/[^a-zA-Z0-9_.-]/g, '_')}-${randomBytes(3).toString('hex')}.kubeconfig`);
    writeKubeconfig(path, `https://${this.hostIP}:6443`, id, readFileSync(join(pki, 'ca.crt'), 'utf8'), user);
    return path;
  }

  /** A command on a node "machine" (in its network namespace; the host's file system). */
  exec(node: string, cmd: string[], o: { input?: string; timeoutMs?: number } = {}): Promise<KubectlResult> {
    return run('nsenter', [`--net=/run/netns/${this.node(node).netns}`, ...cmd], o);
  }

  /** Kill a node's agent (SIGKILL by default: the machine's agent dies, its containers keep running). */
  async killAgent(node: string, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const n = this.node(node);
    if (!n.pid || !alive(n.pid)) return;
    process.kill(n.pid, signal);
    await waitFor(async () => !alive(n.pid), 20_000, 50);
  }

  /** `lab.sh start-node`: the node's agent again; resolves with its new PID. */
  async startNode(node: string): Promise<number> {
    const r = await run('bash', [LAB_SH, 'start-node', '--dir', this.dir, node], { timeoutMs: 60_000 });
    if (r.code !== 0) throw new Error(`lab.sh start-node ${node} failed (${r.code}): ${r.stderr}${r.stdout}`);
    this.readNodes();
    return this.node(node).pid;
  }

  /** The server's log, or a node agent's. */
  log(node?: string): string {
    const f = node ? join(this.dir, 'nodes', node, 'agent.log') : join(this.dir, 'server', 'server.log');
    return existsSync(f) ? readFileSync(f, 'utf8') : '';
  }

  private logTails(): string {
    const tail = (s: string) => s.split('\n').slice(-30).join('\n');
    const nodes = existsSync(join(this.dir, 'nodes')) ? readdirSync(join(this.dir, 'nodes')) : [];
    return [`--- server ---\n${tail(this.log())}`, ...nodes.map((n) => `--- ${n} ---\n${tail(this.log(n))}`)].join('\n');
  }

  /** What of this lab is still on the host: netns, links, routes, nft tables, cgroups, mounts, processes. */
  leftovers(podNetns: string[] = []): string[] {
    const out: string[] = [];
    const N = this.labNumber;
    if (!N) return out;
    const sh = (cmd: string, args: string[]) => {
      try {
        return execFileSync(cmd, args, { encoding: 'utf8' });
      } catch {
        return '';
      }
    };
    const names = [`k8tslab${N}`, `k8tsl${N}n`, `k8ts${N}n`];
    const netns = sh('ip', ['netns', 'list']);
    for (const l of netns.split('\n')) {
      const name = l.split(' ')[0] ?? '';
      if (name.startsWith(`k8tslab${N}-`) || podNetns.includes(name)) out.push(`netns ${name}`);
    }
    for (const m of sh('ip', ['-o', 'link', 'show']).matchAll(/^\d+: ([^:@]+)/gm)) if (names.some((p) => m[1]!.startsWith(p))) out.push(`link ${m[1]}`);
    for (const l of sh('ip', ['-4', 'route', 'show']).split('\n')) if (l.includes(`10.244.${N}.`) || l.includes(`172.29.${N}.`)) out.push(`route ${l}`);
    for (const l of sh('nft', ['list', 'tables']).split('\n')) if (names.some((p) => l.includes(p.replace(/-/g, '_')))) out.push(`nft ${l}`);
    for (const h of existsSync('/sys/fs/cgroup') ? ['', ...readdirSync('/sys/fs/cgroup')] : []) {
      if (existsSync(join('/sys/fs/cgroup', h, `k8tslab${N}`))) out.push(`cgroup ${join('/sys/fs/cgroup', h, `k8tslab${N}`)}`);
    }
    for (const l of readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
      const m = l.split(' ')[4] ?? '';
      if (m.startsWith(`${this.dir}/`)) out.push(`mount ${m}`);
    }
    for (const n of this.nodes) if (n.pid && alive(n.pid)) out.push(`agent ${n.name} pid ${n.pid}`);
    if (existsSync(`/tmp/k8ts-subnet-locks/${N}`)) {
      const owner = Number(readFileSync(`/tmp/k8ts-subnet-locks/${N}`, 'utf8'));
      if (owner && alive(owner)) out.push(`lock ${N} held by ${owner}`);
    }
    return out;
  }

  /** The pod netns the nodes' sandboxes recorded (to check they are gone after down). */
  podNetns(): string[] {
    const out: string[] = [];
    const nodesDir = join(this.dir, 'nodes');
    for (const n of existsSync(nodesDir) ? readdirSync(nodesDir) : []) {
      const sb = join(nodesDir, n, 'sandboxes');
      for (const id of existsSync(sb) ? readdirSync(sb) : []) {
        try {
          const rec = JSON.parse(readFileSync(join(sb, id, 'sandbox.json'), 'utf8')) as { netnsName?: string };
          if (rec.netnsName) out.push(rec.netnsName);
        } catch {
          /* partial */
        }
      }
    }
    return out;
  }

  /** `lab.sh down`, then what is left (should be []); `keepDir` keeps the lab dir (logs) for a look. */
  async down(o: { keepDir?: boolean } = {}): Promise<string[]> {
    for (const c of this.clients.splice(0)) c.close();
    if (!this.isUp) return [];
    this.isUp = false;
    const podNetns = this.podNetns();
    const r = existsSync(join(this.dir, 'lab.env')) ? await run('bash', [LAB_SH, 'down', '--dir', this.dir], { timeoutMs: 180_000 }) : undefined;
    const left = this.leftovers(podNetns);
    if (r && r.code !== 0) left.push(`lab.sh down failed (${r.code}): ${r.stderr}`);
    // never remove a tree with something still mounted in it (a hostPath bind would take host files along)
    if (!o.keepDir && !process.env.K8TS_KEEP_LAB && !left.some((l) => l.startsWith('mount '))) rmSync(this.dir, { recursive: true, force: true });
    return left;
  }
}
