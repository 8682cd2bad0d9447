import { test } from 'node:test';
import assert from 'node:assert/strict';
import { podRequests, isScalarResourceName, DEFAULT_MILLI_CPU_REQUEST, DEFAULT_MEMORY_REQUEST } from '../../../src/scheduler/resources.js';
import { container, makePod } from './fixtures.js';

test('app containers are summed', () => {
  const pod = makePod('p', { containers: [container('a', { cpu: '250m', memory: '64Mi' }), container('b', { cpu: '1', memory: '1Gi' })] });
  const r = podRequests(pod);
  assert.equal(r.milliCPU, 1250);
  assert.equal(r.memory, 64 * 2 ** 20 + 2 ** 30);
});

test('init containers: the max of each init container and the app sum', () => {
  const pod = makePod('p', {
    containers: [container('a', { cpu: '500m', memory: '100Mi' })],
    initContainers: [container('i1', { cpu: '2', memory: '10Mi' }), container('i2', { cpu: '100m', memory: '300Mi' })],
  });
  const r = podRequests(pod);
  assert.equal(r.milliCPU, 2000);
  assert.equal(r.memory, 300 * 2 ** 20);
});

test('sidecar init containers add to the app sum and to later init containers', () => {
  const pod = makePod('p', {
    containers: [container('a', { cpu: '500m' })],
    initContainers: [container('side', { cpu: '200m' }, { restartPolicy: 'Always' }), container('i', { cpu: '1' })],
  });
  // app + sidecar = 700m; init "i" runs with the sidecar: 1200m
  assert.equal(podRequests(pod).milliCPU, 1200);
  const pod2 = makePod('p2', {
    containers: [container('a', { cpu: '2' })],
    initContainers: [container('side', { cpu: '200m' }, { restartPolicy: 'Always' }), container('i', { cpu: '1' })],
  });
  assert.equal(podRequests(pod2).milliCPU, 2200);
});

test('overhead is added and pod-level requests override cpu/memory', () => {
  const pod = makePod('p', { requests: { cpu: '100m', memory: '10Mi' }, overhead: { cpu: '50m', memory: '1Mi' } });
  assert.equal(podRequests(pod).milliCPU, 150);
  assert.equal(podRequests(pod).memory, 11 * 2 ** 20);
  const pl = makePod('pl', { requests: { cpu: '100m' }, resources: { requests: { cpu: '3' } } });
  assert.equal(podRequests(pl).milliCPU, 3000);
});

test('non-zero requests substitute defaults for missing cpu/memory', () => {
  const pod = makePod('p', { containers: [container('a'), container('b', { cpu: '1' })] });
  const r = podRequests(pod, { nonZero: true });
  assert.equal(r.milliCPU, DEFAULT_MILLI_CPU_REQUEST + 1000);
  assert.equal(r.memory, 2 * DEFAULT_MEMORY_REQUEST);
  assert.equal(podRequests(pod).memory, 0);
});

test('scalar resource names', () => {
  assert.equal(isScalarResourceName('example.com/gpu'), true);
  assert.equal(isScalarResourceName('hugepages-2Mi'), true);
  assert.equal(isScalarResourceName('kubernetes.io/something'), false);
  assert.equal(isScalarResourceName('cpu'), false);
});
