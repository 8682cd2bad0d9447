// The kernel side: runs `nft` (Debian's nftables) — a script on stdin as one atomic transaction, JSON listings of
// what the table holds, and the table's removal (`k8ts proxy --cleanup`).
import { runTool, type ToolResult } from './exec.js';

export type NftResult = ToolResult;

/** Table names the proxy may own: ours start with "k8ts" (so a cleanup can never take anyone else's). */
export function validateTableName(name: string): string {
  if (!/^k8ts[A-Za-z0-9_.-]{0,60}$/.test(name)) throw new Error(`--nft-table must start with "k8ts" and be a plain nft name, got ${JSON.stringify(name)}`);
  return name;
}

export const DEFAULT_TABLE = 'k8ts-proxy';
export const DEFAULT_BRIDGE = 'k8ts0';

/** The table of a proxy running beside a node agent: the default one, or one per bridge for other bridges. */
export function tableForBridge(bridge: string): string {
  if (bridge === DEFAULT_BRIDGE) return DEFAULT_TABLE;
  return validateTableName(bridge.startsWith('k8ts') ? `k8ts-proxy-${bridge.slice(4).replace(/^[-_.]/, '')}` : `k8ts-proxy-${bridge}`);
}

export class Nft {
  constructor(private readonly bin = 'nft') {}

  run(args: string[], input?: string): Promise<NftResult> {
    // nft reads a script from stdin only when asked to (-f -); an empty stdin otherwise, as before
    return runTool(this.bin, args, { input: input ?? '' });
  }

  /** One transaction: all of it or none of it. */
  async apply(script: string): Promise<void> {
    if (!script) return;
    const r = await this.run(['-f', '-'], script);
    if (r.code !== 0) throw new Error(`nft -f: ${firstLines(r.stderr)}`);
  }

  async tableExists(table: string): Promise<boolean> {
    const r = await this.run(['-j', 'list', 'tables', 'ip']);
    if (r.code !== 0) throw new Error(`nft list tables: ${firstLines(r.stderr)}`);
    return jsonItems(r.stdout, 'table').some((t) => t.name === table);
  }

  /** Names of the table's chains and sets (maps excluded), to remove stale ones on a full sync. */
  async objects(table: string): Promise<{ chains: Set<string>; sets: Set<string> }> {
    const chains = new Set<string>();
    const sets = new Set<string>();
    if (!(await this.tableExists(table))) return { chains, sets };
    const c = await this.run(['-j', 'list', 'chains', 'ip']);
    if (c.code !== 0) throw new Error(`nft list chains: ${firstLines(c.stderr)}`);
    for (const ch of jsonItems(c.stdout, 'chain')) if (ch.table === table) chains.add(String(ch.name));
    const s = await this.run(['-j', 'list', 'sets', 'ip']);
    if (s.code !== 0) throw new Error(`nft list sets: ${firstLines(s.stderr)}`);
    for (const st of jsonItems(s.stdout, 'set')) if (st.table === table) sets.add(String(st.name));
    return { chains, sets };
  }

  /** Removes the table; false when there was none. */
  async deleteTable(table: string): Promise<boolean> {
    if (!(await this.tableExists(table))) return false;
    const r = await this.run(['delete', 'table', 'ip', table]);
    if (r.code !== 0) throw new Error(`nft delete table ip ${table}: ${firstLines(r.stderr)}`);
    return true;
  }
}

function jsonItems(stdout: string, kind: string): Record<string, unknown>[] {
  try {
    const doc = JSON.parse(stdout) as { nftables?: Record<string, Record<string, unknown>>[] };
    return (doc.nftables ?? []).flatMap((o) => (o[kind] ? [o[kind]] : []));
  } catch {
    return [];
  }
}

function firstLines(s: string): string {
  return s.trim().split('\n').slice(0, 6).join(' | ');
}
