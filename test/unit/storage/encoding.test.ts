// Stored-value encoding: encodeWithTwoRVs serialises once yet yields exactly what encodeWithRV gives for each revision.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { encodeWithRV, encodeWithTwoRVs } from '../../../src/storage/encoding.js';
import type { KubeObject } from '../../../src/api/types.js';

describe('encodeWithTwoRVs', () => {
  const cases: Record<string, KubeObject> = {
    'plain object': { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a', labels: { x: 'y' } }, spec: { containers: [] } } as KubeObject,
    'resourceVersion already in metadata (keeps its place)': { apiVersion: 'v1', kind: 'Pod', metadata: { resourceVersion: '3', name: 'a' } } as KubeObject,
    'resourceVersion elsewhere in the object': {
      apiVersion: 'v1',
      kind: 'Event',
      involvedObject: { kind: 'Pod', resourceVersion: '7' },
      metadata: { name: 'e' },
    } as unknown as KubeObject,
    'the mark itself inside the data': {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c' },
      data: { k: '\u0001k8ts-rv\u0001' },
    } as unknown as KubeObject,
    'no metadata': { apiVersion: 'v1', kind: 'ConfigMap' } as unknown as KubeObject,
  };
  for (const [name, obj] of Object.entries(cases)) {
    it(name, () => {
      const before = JSON.stringify(obj);
      const { prev, value } = encodeWithTwoRVs(obj, 41, 42);
      assert.equal(prev, encodeWithRV(obj, 41));
      assert.equal(value, encodeWithRV(obj, 42));
      assert.equal(JSON.stringify(obj), before, 'input must not be mutated');
    });
  }
});
