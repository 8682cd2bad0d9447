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

export const imageLocalityPlugin: Plugin = {
  name: 'ImageLocality',
  weight: 1,
  score: (_s, pod, ni, h) => {
    const images = (ni.derived.images ??= nodeImages(ni.node));
    const names = imagesOf(pod);
    if (images.size === 0) return imageLocalityPriority(0, names.length);
    const total = h.nodeInfos().length || 1;
    let sum = 0;
    for (const name of names) {
      const size = images.get(name);
      if (size !== undefined) sum += Math.trunc(size * (h.imageNumNodes(name) / total));
    }
    return imageLocalityPriority(sum, names.length);
  },
};
