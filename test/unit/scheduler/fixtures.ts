// Small builders for scheduler unit tests: nodes with allocatable + Ready, and pods with requests.
import type { Container, Node, Pod } from '../../../src/api/core/v1/types.js';

export function makeNode(
  name: string,
  o: {
    cpu?: string;
    memory?: string;
    pods?: string;
    labels?: Record<string, string>;
    ready?: 'True' | 'False' | 'Unknown' | null;
    extra?: Record<string, string>;
  } = {},
): Node {
  const conditions = o.ready === null ? [] : [{ type: 'Ready', status: o.ready ?? 'True' }];
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: o.labels ?? { 'kubernetes.io/hostname': name } },
    spec: {},
    status: { allocatable: { cpu: o.cpu ?? '4', memory: o.memory ?? '8Gi', pods: o.pods ?? '110', ...(o.extra ?? {}) }, conditions },
  };
}

export function container(name: string, requests?: Record<string, string>, extra: Partial<Container> = {}): Container {
  return { name, image: 'busybox', ...(requests ? { resources: { requests } } : {}), ...extra };
}

export function makePod(name: string, o: { requests?: Record<string, string>; nodeName?: string; ns?: string } & Partial<NonNullable<Pod['spec']>> = {}): Pod {
  const { requests, nodeName, ns, ...spec } = o;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns ?? 'default', uid: `uid-${name}` },
    spec: { containers: [container('c', requests)], ...(nodeName ? { nodeName } : {}), ...spec },
  };
}
