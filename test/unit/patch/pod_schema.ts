// Hand-written miniature Pod schema (with upstream's patch extensions) shared by the patch unit tests.
import type { Definitions } from '../../../src/api/schema/types.js';
import { patchMetaForDefinition, type PatchMetaLookup } from '../../../src/apiserver/patch/patch_meta.js';

const str = { type: 'string' as const };
export const testDefinitions: Definitions = {
  Pod: {
    type: 'object',
    properties: {
      apiVersion: str,
      kind: str,
      metadata: { $ref: '#/definitions/ObjectMeta' },
      spec: { $ref: '#/definitions/PodSpec' },
    },
  },
  ObjectMeta: {
    type: 'object',
    properties: {
      name: str,
      labels: { type: 'object', additionalProperties: str },
      annotations: { type: 'object', additionalProperties: str },
      finalizers: { type: 'array', items: str, 'x-kubernetes-patch-strategy': 'merge', 'x-kubernetes-list-type': 'set' },
    },
  },
  PodSpec: {
    type: 'object',
    properties: {
      containers: {
        type: 'array',
        items: { $ref: 'Container' },
        'x-kubernetes-patch-merge-key': 'name',
        'x-kubernetes-patch-strategy': 'merge',
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['name'],
      },
      volumes: {
        type: 'array',
        items: { $ref: 'Volume' },
        'x-kubernetes-patch-merge-key': 'name',
        'x-kubernetes-patch-strategy': 'merge,retainKeys',
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['name'],
      },
      nodeSelector: { type: 'object', additionalProperties: str, 'x-kubernetes-map-type': 'atomic' },
      restartPolicy: str,
    },
  },
  Container: {
    type: 'object',
    properties: {
      name: str,
      image: str,
      args: { type: 'array', items: str },
      env: {
        type: 'array',
        items: { type: 'object', properties: { name: str, value: str } },
        'x-kubernetes-patch-merge-key': 'name',
        'x-kubernetes-patch-strategy': 'merge',
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['name'],
      },
      ports: {
        type: 'array',
        items: { type: 'object', properties: { containerPort: { type: 'integer' }, protocol: { type: 'string', default: 'TCP' }, name: str } },
        'x-kubernetes-patch-merge-key': 'containerPort',
        'x-kubernetes-patch-strategy': 'merge',
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['containerPort', 'protocol'],
      },
    },
  },
  Volume: {
    type: 'object',
    properties: {
      name: str,
      emptyDir: { type: 'object', properties: { medium: str } },
      hostPath: { type: 'object', properties: { path: str } },
    },
  },
};

export const podMeta: PatchMetaLookup = patchMetaForDefinition(testDefinitions, 'Pod')!;

export function pod(
  containers: Record<string, unknown>[],
  extra: Record<string, unknown> = {},
): Record<string, unknown> & { metadata: Record<string, unknown> } {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'default', labels: { app: 'web' } },
    spec: { containers },
    ...extra,
  };
}
