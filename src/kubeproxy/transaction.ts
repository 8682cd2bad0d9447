// nft scripts (`nft -f -`, one atomic transaction each) that take the kernel from one ruleset to the next:
// a full sync rewrites every chain and map of the table in place (never deleting the table, so conntrack
// state and affinity sets survive), a partial sync touches only what changed between two Fragments.
import { HAIRPIN_SET, MAPS, hairpinElement, type BaseRuleset, type Fragment } from './ruleset.js';

const TABLE_COMMENT = 'rules for the k8ts kube-proxy';

export interface ExistingObjects {
  chains: Set<string>;
  sets: Set<string>;
}

class Script {
  private lines: string[] = [];
  constructor(readonly table: string) {}
  add(s: string): void {
    this.lines.push(s);
  }
  text(): string {
    return this.lines.length === 0 ? '' : `${this.lines.join('\n')}\n`;
  }
  get size(): number {
    return this.lines.length;
  }
}

function elementsLine(t: string, op: 'add' | 'delete', map: string, entries: string[]): string {
  return `${op} element ip ${t} ${map} { ${entries.join(' , ')} }`;
}

/** Every chain, set and map element of the table as `base` + `fragments` say; stale chains and sets removed. */
export function fullTransaction(table: string, base: BaseRuleset, fragments: Iterable<Fragment>, existing: ExistingObjects): string {
  const s = new Script(table);
  const t = table;
  s.add(`add table ip ${t} { comment "${TABLE_COMMENT}" ; }`);
  const chains = new Map<string, string[]>();
  const sets = new Map<string, string>();
  const elements = new Map<string, string[]>(MAPS.map((m) => [m, []]));
  for (const c of base.chains) {
    s.add(c.hook ? `add chain ip ${t} ${c.name} { ${c.hook} }` : `add chain ip ${t} ${c.name}`);
    chains.set(c.name, c.rules);
  }
  for (const [name, decl] of base.maps) s.add(`add map ip ${t} ${name} { ${decl} }`);
  for (const [name, decl] of base.sets) s.add(`add set ip ${t} ${name} { ${decl} }`);
  const hairpin = new Set<string>();
  for (const f of fragments) {
    for (const ip of f.hairpin) hairpin.add(hairpinElement(ip));
    for (const [name, rules] of f.chains) {
      s.add(`add chain ip ${t} ${name}`);
      chains.set(name, rules);
    }
    for (const [name, decl] of f.sets) sets.set(name, decl);
    for (const [map, es] of f.elements) {
      const list = elements.get(map)!;
      for (const [k, v] of es) list.push(`${k} : ${v}`);
    }
  }
  // existing affinity sets keep their members (a client's affinity outlives a proxy restart)
  for (const [name, decl] of sets) if (!existing.sets.has(name)) s.add(`add set ip ${t} ${name} { ${decl} }`);
  for (const name of new Set([...existing.chains, ...chains.keys()])) s.add(`flush chain ip ${t} ${name}`);
  for (const m of MAPS) s.add(`flush map ip ${t} ${m}`);
  s.add(`flush set ip ${t} ${HAIRPIN_SET}`);
  for (const [name, rules] of chains) for (const r of rules) s.add(`add rule ip ${t} ${name} ${r}`);
  for (const [m, list] of elements) {
    for (let i = 0; i < list.length; i += 1000) s.add(elementsLine(t, 'add', m, list.slice(i, i + 1000)));
  }
  const pairs = [...hairpin];
  for (let i = 0; i < pairs.length; i += 1000) s.add(elementsLine(t, 'add', HAIRPIN_SET, pairs.slice(i, i + 1000)));
  for (const name of existing.chains) if (!chains.has(name)) s.add(`delete chain ip ${t} ${name}`);
  for (const name of existing.sets) if (!sets.has(name) && !base.maps.has(name) && !base.sets.has(name)) s.add(`delete set ip ${t} ${name}`);
  return s.text();
}

/**
 * The hairpin set's changes for a partial sync: `refs` counts, per endpoint IP, the applied fragments that DNAT it
 * without a chain (one IP may back several Services); it is updated for `prev` → `next` of each changed Service,
 * and the pairs whose count left or reached zero are deleted or added.
 */
export function hairpinTransaction(table: string, refs: Map<string, number>, changes: Iterable<[prev: Fragment, next: Fragment]>): string {
  const touched = new Map<string, number>();
  for (const [prev, next] of changes) {
    for (const ip of prev.hairpin) {
      if (!touched.has(ip)) touched.set(ip, refs.get(ip) ?? 0);
      refs.set(ip, (refs.get(ip) ?? 0) - 1);
    }
    for (const ip of next.hairpin) {
      if (!touched.has(ip)) touched.set(ip, refs.get(ip) ?? 0);
      refs.set(ip, (refs.get(ip) ?? 0) + 1);
    }
  }
  const add: string[] = [];
  const del: string[] = [];
  for (const [ip, before] of touched) {
    const after = refs.get(ip) ?? 0;
    if (after <= 0) refs.delete(ip);
    if (before > 0 && after <= 0) del.push(hairpinElement(ip));
    if (before <= 0 && after > 0) add.push(hairpinElement(ip));
  }
  const s = new Script(table);
  if (del.length) s.add(elementsLine(table, 'delete', HAIRPIN_SET, del));
  if (add.length) s.add(elementsLine(table, 'add', HAIRPIN_SET, add));
  return s.text();
}

/** The hairpin reference counts of a whole set of fragments (after a full sync). */
export function hairpinRefs(fragments: Iterable<Fragment>): Map<string, number> {
  const refs = new Map<string, number>();
  for (const f of fragments) for (const ip of f.hairpin) refs.set(ip, (refs.get(ip) ?? 0) + 1);
  return refs;
}

const sameRules = (a: string[] | undefined, b: string[]) => a !== undefined && a.length === b.length && a.every((r, i) => r === b[i]);

/** What takes the kernel from `prev` to `next` (one Service's fragments); '' when they program the same. */
export function partialTransaction(table: string, prev: Fragment, next: Fragment): string {
  const s = new Script(table);
  const t = table;
  const rewrite: string[] = [];
  for (const [name, rules] of next.chains) {
    const old = prev.chains.get(name);
    if (old === undefined) s.add(`add chain ip ${t} ${name}`);
    if (!sameRules(old, rules)) rewrite.push(name);
  }
  for (const [name, decl] of next.sets) if (!prev.sets.has(name)) s.add(`add set ip ${t} ${name} { ${decl} }`);
  const removedChains = [...prev.chains.keys()].filter((n) => !next.chains.has(n));
  for (const name of rewrite) if (prev.chains.has(name)) s.add(`flush chain ip ${t} ${name}`);
  for (const name of removedChains) s.add(`flush chain ip ${t} ${name}`);
  const adds = new Map<string, string[]>();
  for (const m of new Set([...prev.elements.keys(), ...next.elements.keys()])) {
    const before = prev.elements.get(m) ?? new Map<string, string>();
    const after = next.elements.get(m) ?? new Map<string, string>();
    const del: string[] = [];
    const add: string[] = [];
    for (const [k, v] of before) if (after.get(k) !== v) del.push(k);
    for (const [k, v] of after) if (before.get(k) !== v) add.push(`${k} : ${v}`);
    if (del.length > 0) s.add(elementsLine(t, 'delete', m, del));
    if (add.length > 0) adds.set(m, add);
  }
  for (const name of rewrite) for (const r of next.chains.get(name)!) s.add(`add rule ip ${t} ${name} ${r}`);
  for (const [m, add] of adds) s.add(elementsLine(t, 'add', m, add));
  for (const name of removedChains) s.add(`delete chain ip ${t} ${name}`);
  for (const name of prev.sets.keys()) if (!next.sets.has(name)) s.add(`delete set ip ${t} ${name}`);
  return s.text();
}
