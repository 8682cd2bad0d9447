#!/usr/bin/env bash
# One file-naming style: renames every .ts file under src/, test/ and bench/ to snake_case (upstream Go's file
# style) with `git mv`, rewrites the import specifiers and file mentions that name them (src/, test/, bench/,
# scripts/, docs/, README.md), removes their stale compiled copies from dist/, and puts the naming test in place.
# camelCase names are converted mechanically (watchCache.ts → watch_cache.ts); flat compound names are split by
# the table below (nodeaffinity.ts → node_affinity.ts). Directories keep their flat names (Go package names:
# kuberuntime, nodestatus). Every rename stays inside its directory. Idempotent: a second run changes nothing.
# Usage: bash scripts/rename-files.sh [--dry-run]; then rebuild (npx tsc -p tsconfig.json) and run the tests.
set -euo pipefail
cd "$(dirname "$0")/.."

DRY_RUN=0
[ "${1:-}" = "--dry-run" ] && DRY_RUN=1
export DRY_RUN

node --input-type=module - <<'EOF'
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

const dryRun = process.env.DRY_RUN === '1';

// Flat compound names (no separator) and their words. Single terms stay as they are (kubelet, kubeconfig, workqueue).
const FLAT = {
  clusterevents: 'cluster_events',
  configdata: 'config_data',
  emptydir: 'empty_dir',
  exitstatus: 'exit_status',
  fieldcheck: 'field_check',
  fieldpath: 'field_path',
  fiterror: 'fit_error',
  gotypes: 'go_types',
  hostpath: 'host_path',
  inprocess: 'in_process',
  logoptions: 'log_options',
  logreader: 'log_reader',
  netnsdialer: 'netns_dialer',
  netnsdialhelper: 'netns_dial_helper',
  nodeaffinity: 'node_affinity',
  nodeconn: 'node_conn',
  nodeinfo: 'node_info',
  nodeipam: 'node_ipam',
  nodeports: 'node_ports',
  nodeproxy: 'node_proxy',
  noderesources: 'node_resources',
  nodeunschedulable: 'node_unschedulable',
  objectmeta: 'object_meta',
  openapiv2: 'openapi_v2',
  poddial: 'pod_dial',
  podlogoptions: 'pod_log_options',
  podspec: 'pod_spec',
  resourcefield: 'resource_field',
  spdyremotecommand: 'spdy_remote_command',
  tainttoleration: 'taint_toleration',
  tojson: 'to_json',
  wsbytestream: 'ws_byte_stream',
  wsremotecommand: 'ws_remote_command',
};
// Kubernetes field names that are also file names: never rewritten as bare words in prose.
const API_WORDS = new Set(['managedFields', 'fieldPath', 'fieldSet']);

const camelToSnake = (s) => s.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/([A-Z])([A-Z][a-z])/g, '$1_$2').toLowerCase();
const newBase = (base) => FLAT[base] ?? camelToSnake(base);

function walk(dir, out = []) {
  if (!existsSync(dir)) return out;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name === 'dist' || e.name.startsWith('.')) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

// 1. The plan: old path → new path, basename only.
const plan = [];
const bases = new Map();
for (const file of ['src', 'test', 'bench'].flatMap((d) => walk(d))) {
  const m = /^(.*?)((?:\.test)?\.ts)$/.exec(basename(file));
  if (!m) continue;
  const to = newBase(m[1]);
  if (to === m[1]) continue;
  bases.set(m[1], to);
  plan.push([file, join(dirname(file), to + m[2])]);
}
for (const [from, to] of plan) {
  if (existsSync(to)) {
    console.error(`rename-files: ${to} exists already (renaming ${from}); resolve by hand`);
    process.exit(1);
  }
}

// 2. Rewrite mentions: "<old>.ts" / "<old>.js" (import specifiers, dist paths, comments) everywhere; bare
//    camelCase names in Markdown only (the architecture diagram), except API field names.
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const rewrite = (text, isDoc) => {
  let out = text;
  for (const [from, to] of bases) {
    out = out.replace(new RegExp(`(?<![A-Za-z0-9_$-])${escape(from)}(?=(?:\\.test)?\\.(?:ts|js)(?![A-Za-z0-9_]))`, 'g'), to);
    if (isDoc && from !== from.toLowerCase() && !API_WORDS.has(from)) {
      out = out.replace(new RegExp(`(?<![A-Za-z0-9_$./-])${escape(from)}(?![A-Za-z0-9_])`, 'g'), to);
    }
  }
  return out;
};
const textFiles = [
  ...['src', 'test', 'bench', 'scripts', 'docs'].flatMap((d) => walk(d)),
  ...['README.md', 'package.json', 'eslint.config.js'].filter((f) => existsSync(f)),
].filter((f) => /\.(ts|js|md|sh|json|pending)$/.test(f) && f !== 'scripts/rename-files.sh');
let rewritten = 0;
for (const f of textFiles) {
  const before = readFileSync(f, 'utf8');
  const after = rewrite(before, f.endsWith('.md'));
  if (after !== before) {
    rewritten++;
    if (!dryRun) writeFileSync(f, after);
  }
}

// 3. The renames (git mv keeps history; untracked files are simply moved), and their stale build output.
const tracked = (f) => {
  try {
    execFileSync('git', ['ls-files', '--error-unmatch', f], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};
for (const [from, to] of plan) {
  console.log(`${dryRun ? 'would rename' : 'rename'} ${from} → ${to}`);
  if (dryRun) continue;
  if (tracked(from)) execFileSync('git', ['mv', from, to], { stdio: 'inherit' });
  else renameSync(from, to);
  for (const ext of ['.js', '.js.map']) {
    const stale = join('dist', from.replace(/\.ts$/, ext));
    if (existsSync(stale) && statSync(stale).isFile()) rmSync(stale);
  }
}

// 4. The naming test, which holds the style from now on.
const pending = 'test/unit/lint/file_names.test.ts.pending';
if (existsSync(pending)) {
  console.log(`${dryRun ? 'would move' : 'move'} ${pending} → test/unit/lint/file_names.test.ts`);
  if (!dryRun) {
    if (tracked(pending)) execFileSync('git', ['mv', pending, 'test/unit/lint/file_names.test.ts'], { stdio: 'inherit' });
    else renameSync(pending, 'test/unit/lint/file_names.test.ts');
  }
}
console.log(`rename-files: ${plan.length} file(s) renamed, ${rewritten} file(s) rewritten${dryRun ? ' (dry run)' : ''}`);
EOF
