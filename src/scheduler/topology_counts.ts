// Counts per topology pair (topologyKey → value → count) summed over every node and kept across scheduling
// cycles, for the PreFilters and PreScores that would otherwise walk every pod of every node each cycle
// (PodTopologySpread's matching pods per domain, InterPodAffinity's matched terms and score weights). One
// KeptCounts answers one question (e.g. "pods in namespace N matching selector S, per zone"); each node's part
// is remembered with the node's generation, so a cycle measures again only the nodes whose pods or labels
// changed since the last cycle that asked. Upstream counts over the whole snapshot each cycle, in parallel;
// the totals are the same.
import type { FrameworkHandle } from './framework_types.js';
import type { NodeInfo } from './node_info.js';

/** A node's part: flat triples topologyKey, value, count (a pair may carry count 0: the domain exists). */
export type NodePart = (string | number)[];

export interface Measured {
  part: NodePart;
  /** false: the part depends on more than the node (e.g. namespace labels) and is measured again next cycle. */
  keep: boolean;
}

const NOT_KEPT = -1;

export class KeptCounts {
  /** The node list the per-node arrays follow (the cache replaces it when nodes come or go). */
  private nodes?: NodeInfo[];
  private gens: number[] = [];
  private parts: (NodePart | undefined)[] = [];
  /** topologyKey → value → summed count; read-only for callers. */
  readonly totals = new Map<string, Map<string, number>>();
  /** topologyKey → value → nodes whose part names the pair (a pair exists while one does). */
  private readonly refs = new Map<string, Map<string, number>>();
  private pairs = 0;
  private readonly mins = new Map<string, number>();

  /** Brings the totals up to `nodes`, measuring only the nodes that changed, and returns this. */
  refresh(nodes: NodeInfo[], measure: (ni: NodeInfo) => Measured): this {
    if (nodes !== this.nodes) {
      this.nodes = nodes;
      this.gens = new Array<number>(nodes.length).fill(NOT_KEPT);
      this.parts = new Array<NodePart | undefined>(nodes.length).fill(undefined);
      this.totals.clear();
      this.refs.clear();
      this.pairs = 0;
      this.mins.clear();
    }
    const gens = this.gens;
    for (let i = 0; i < nodes.length; i++) {
      const ni = nodes[i]!;
      if (gens[i] === ni.generation) continue;
      const m = measure(ni);
      gens[i] = m.keep ? ni.generation : NOT_KEPT;
      const prev = this.parts[i];
      if (prev && samePart(prev, m.part)) continue;
      if (prev) this.apply(prev, -1);
      this.apply(m.part, 1);
      this.parts[i] = m.part.length ? m.part : undefined;
    }
    return this;
  }

  /** How many pairs exist. */
  get size(): number {
    return this.pairs;
  }

  at(key: string, value: string): number {
    return this.totals.get(key)?.get(value) ?? 0;
  }

  /** The smallest count over the values of `key` (0 when it has none). */
  min(key: string): number {
    let min = this.mins.get(key);
    if (min === undefined) {
      min = Infinity;
      for (const v of this.totals.get(key)?.values() ?? []) if (v < min) min = v;
      if (min === Infinity) min = 0;
      this.mins.set(key, min);
    }
    return min;
  }

  private apply(part: NodePart, sign: 1 | -1): void {
    for (let j = 0; j < part.length; j += 3) {
      const key = part[j] as string;
      const value = part[j + 1] as string;
      const count = part[j + 2] as number;
      this.mins.delete(key);
      let refs = this.refs.get(key);
      let totals = this.totals.get(key);
      if (!refs || !totals) {
        this.refs.set(key, (refs = new Map()));
        this.totals.set(key, (totals = new Map()));
      }
      const n = (refs.get(value) ?? 0) + sign;
      if (n > 0) {
        if (sign > 0 && n === 1) this.pairs++;
        refs.set(value, n);
        totals.set(value, (totals.get(value) ?? 0) + sign * count);
        continue;
      }
      refs.delete(value);
      totals.delete(value);
      this.pairs--;
      if (refs.size === 0) {
        this.refs.delete(key);
        this.totals.delete(key);
      }
    }
  }
}

function samePart(a: NodePart, b: NodePart): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Distinct questions kept per scheduler before the least recently asked is dropped (bounds memory). */
const MAX_QUESTIONS = 32;
const perHandle = new WeakMap<FrameworkHandle, Map<string, KeptCounts>>();

/**
 * The counts this scheduler (its handle) keeps for `question`, brought up to date; undefined question: counts
 * made for this cycle alone (a question that cannot be named, e.g. one that depends on namespace labels).
 */
export function keptCounts(h: FrameworkHandle, question: string | undefined, measure: (ni: NodeInfo) => Measured): KeptCounts {
  if (question === undefined) return new KeptCounts().refresh(h.nodeInfos(), measure);
  let m = perHandle.get(h);
  if (!m) perHandle.set(h, (m = new Map()));
  let kc = m.get(question);
  if (kc) m.delete(question);
  else if (m.size >= MAX_QUESTIONS) m.delete(m.keys().next().value!);
  m.set(question, (kc ??= new KeptCounts()));
  return kc.refresh(h.nodeInfos(), measure);
}
