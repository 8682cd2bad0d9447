// ImageLocality score: favours nodes that already have the pod's images, by image size scaled by the share
// of nodes that have it (spreading images), clamped between 23 MB and 1000 MB per container.
import type { Node, Pod } from '../../api/core/v1/types.js';
import type { Plugin } from '../framework_types.js';
import { MAX_NODE_SCORE } from '../score.js';

const MB = 1024 * 1024;
export const MIN_THRESHOLD = 23 * MB;
export const MAX_CONTAINER_THRESHOLD = 1000 * MB;

/** upstream normalizedImageName: an image without tag or digest means :latest. */
export function normalizedImageName(name: string): string {
  const lastSlash = name.lastIndexOf('/');
  const tail = name.slice(lastSlash + 1);
  if (!tail.includes(':') && !tail.includes('@')) return `${name}:latest`;
  return name;
}

const imageCache = new WeakMap<Node, Map<string, number>>();

/** The node's images by every name it reports (status.images), with their sizes. */
export function nodeImages(node: Node): Map<string, number> {
  let m = imageCache.get(node);
  if (m) return m;
  m = new Map();
  for (const img of node.status?.images ?? []) for (const n of img.names ?? []) m.set(normalizedImageName(n), img.sizeBytes ?? 0);
  imageCache.set(node, m);
  return m;
}

export function imageLocalityPriority(sumScores: number, numContainers: number): number {
  const maxThreshold = MAX_CONTAINER_THRESHOLD * numContainers;
  const s = Math.min(Math.max(sumScores, MIN_THRESHOLD), maxThreshold);
  if (maxThreshold === MIN_THRESHOLD) return 0;
  return Math.trunc((MAX_NODE_SCORE * (s - MIN_THRESHOLD)) / (maxThreshold - MIN_THRESHOLD));
}

/** The pod's container images, normalised, once per pod object (the score asks for every feasible node). */
const podImages = new WeakMap<Pod, string[]>();
function imagesOf(pod: Pod): string[] {
  let names = podImages.get(pod);
  if (!names) {
    names = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].map((c) => normalizedImageName(c.image ?? ''));
    podImages.set(pod, names);
  }
  return names;
}

const PRE_SCORE_KEY = 'PreScoreImageLocality';

/** What the score needs of the cycle, worked out once (PreScore) rather than for every node. */
interface PreScoreState {
  names: string[];
  totalNodes: number;
  /** The score of a node that has none of the images. */
  none: number;
}

export const imageLocalityPlugin: Plugin = {
  name: 'ImageLocality',
  weight: 1,
  preScore: (state, pod, _nodes, h) => {
    const names = imagesOf(pod);
    state.write(PRE_SCORE_KEY, { names, totalNodes: h.nodeInfos().length || 1, none: imageLocalityPriority(0, names.length) } satisfies PreScoreState);
  },
  score: (state, pod, ni, h) => {
    const images = (ni.derived.images ??= nodeImages(ni.node));
    const s = state.read<PreScoreState>(PRE_SCORE_KEY) ?? {
      names: imagesOf(pod),
      totalNodes: h.nodeInfos().length || 1,
      none: imageLocalityPriority(0, imagesOf(pod).length),
    };
    if (images.size === 0) return s.none;
    let sum = 0;
    for (const name of s.names) {
      const size = images.get(name);
      if (size !== undefined) sum += Math.trunc(size * (h.imageNumNodes(name) / s.totalNodes));
    }
    return imageLocalityPriority(sum, s.names.length);
  },
};
