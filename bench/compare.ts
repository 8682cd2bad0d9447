// `npm run bench:compare`: runs benchmarks of this tree and of a base commit in the same run, interleaved
// (base, head, head, base, …) so that machine noise falls on both, and prints the medians side by side with
// the ratio head/base. Writes bench/results/compare.json (every run's JSON as well as the medians).
// Usage: npm run bench:compare [-- --base REV --runs 3 --only api,pods,probes,stream
//                                   --args-pods "--pods 20 --burst 50 --no-podman" … --keep-base]
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const HEAD_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const args = process.argv.slice(2);
const arg = (name: string, def: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1]! : def;
};

/** Each benchmark: its script, default arguments, and the JSON it writes under bench/results/. */
const BENCHES: Record<string, { script: string; args: string[]; json: string }> = {
  api: { script: 'dist/bench/api.js', args: ['--pods', '2000'], json: 'api.json' },
  pods: { script: 'dist/bench/pods.js', args: ['--pods', '20', '--burst', '50', '--no-podman'], json: 'pods.json' },
  probes: { script: 'dist/bench/probes.js', args: ['--seconds', '10'], json: 'probes.json' },
  'probes-node': { script: 'dist/bench/probes.js', args: ['--node', '--containers', '100', '--seconds', '10'], json: 'probes_node.json' },
  stream: { script: 'dist/bench/stream.js', args: [], json: 'stream.json' },
};

const BASE = arg('base', 'HEAD~1');
const RUNS = Math.max(1, Number(arg('runs', '3')));
const ONLY = arg('only', 'api,pods,probes,stream').split(',').filter(Boolean);
for (const b of ONLY) if (!BENCHES[b]) throw new Error(`unknown benchmark ${b} (known: ${Object.keys(BENCHES).join(', ')})`);

const git = (...a: string[]) => execFileSync('git', ['-C', HEAD_ROOT, ...a], { encoding: 'utf8' }).trim();

/** A detached worktree of the base commit, built with this tree's node_modules and images. */
function prepareBase(rev: string): string {
  const sha = git('rev-parse', '--verify', `${rev}^{commit}`);
  const dir = join(tmpdir(), `k8ts-bench-base-${sha.slice(0, 12)}`);
  if (!existsSync(join(dir, 'dist/bench'))) {
    rmSync(dir, { recursive: true, force: true });
    git('worktree', 'prune');
    git('worktree', 'add', '--detach', dir, sha);
    symlinkSync(join(HEAD_ROOT, 'node_modules'), join(dir, 'node_modules'));
    if (existsSync(join(HEAD_ROOT, 'build'))) cpSync(join(HEAD_ROOT, 'build'), join(dir, 'build'), { recursive: true });
    execFileSync(process.execPath, [join(HEAD_ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], { cwd: dir, stdio: 'inherit' });
  }
  return dir;
}

/** Numbers of a result JSON, by path; array rows are keyed by their first string field (verb, name, ...). */
function flatten(v: unknown, prefix: string, out: Map<string, number>): void {
  if (typeof v === 'number' && Number.isFinite(v)) out.set(prefix, v);
  else if (Array.isArray(v)) {
    v.forEach((item, i) => {
      const label = item && typeof item === 'object' ? Object.values(item).find((x) => typeof x === 'string') : undefined;
      flatten(item, `${prefix}[${label ?? i}]`, out);
    });
  } else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) if (k !== 'date' && k !== 'targets') flatten(x, prefix ? `${prefix}.${k}` : k, out);
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

function runOnce(root: string, bench: string): unknown {
  const b = BENCHES[bench]!;
  const extra = arg(`args-${bench}`, '');
  const argv = [b.script, ...(extra ? extra.split(/\s+/) : b.args)];
  const r = spawnSync(process.execPath, argv, { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`${bench} in ${root} failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  return JSON.parse(readFileSync(join(root, 'bench/results', b.json), 'utf8'));
}

function main(): void {
  const baseRoot = prepareBase(BASE);
  const headRev = git('rev-parse', '--short', 'HEAD') + (git('status', '--porcelain', '--untracked-files=no') ? '+dirty' : '');
  const baseRev = git('rev-parse', '--short', `${BASE}^{commit}`);
  const report: Record<string, unknown> = { date: new Date().toISOString(), head: headRev, base: baseRev, runs: RUNS, benches: {} };
  for (const bench of ONLY) {
    const runs: { base: unknown[]; head: unknown[] } = { base: [], head: [] };
    for (let i = 0; i < RUNS; i++) {
      // Alternate the order so that neither side always runs on the warmer (or busier) machine.
      const order: ('base' | 'head')[] = i % 2 ? ['head', 'base'] : ['base', 'head'];
      for (const side of order) {
        process.stderr.write(`bench:compare ${bench} run ${i + 1}/${RUNS} ${side}\n`);
        runs[side].push(runOnce(side === 'base' ? baseRoot : HEAD_ROOT, bench));
      }
    }
    const series = (side: 'base' | 'head') => {
      const m = new Map<string, number[]>();
      for (const r of runs[side]) {
        const f = new Map<string, number>();
        flatten(r, '', f);
        for (const [k, v] of f) m.set(k, [...(m.get(k) ?? []), v]);
      }
      return m;
    };
    const base = series('base');
    const head = series('head');
    const rows = [...head.keys()]
      .filter((k) => base.has(k))
      .map((k) => {
        const b = median(base.get(k)!);
        const h = median(head.get(k)!);
        return { metric: k, base: +b.toFixed(3), head: +h.toFixed(3), ratio: b === 0 ? null : +(h / b).toFixed(3) };
      });
    console.log(`\n${bench}: medians of ${RUNS} runs each, base ${baseRev} vs head ${headRev} (ratio = head/base)`);
    console.table(rows);
    (report.benches as Record<string, unknown>)[bench] = { medians: rows, runs };
  }
  const out = join(HEAD_ROOT, 'bench/results/compare.json');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify(report, null, 2) + '\n');
  console.log(`wrote ${out}`);
  if (!args.includes('--keep-base')) {
    rmSync(baseRoot, { recursive: true, force: true });
    git('worktree', 'prune');
  }
}

main();
