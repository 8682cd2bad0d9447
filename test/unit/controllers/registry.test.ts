// --controllers parsing as kube-controller-manager's: "*" = every controller on by default, "-x" turns one off,
// older names are aliases, unknown names are refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { enabledControllers } from '../../../src/controllers/registry.js';
import type { ControllerDescriptor } from '../../../src/controllers/context.js';

const all: ControllerDescriptor[] = [
  { name: 'namespace-controller', aliases: ['namespace'], start: () => undefined },
  { name: 'garbage-collector-controller', aliases: ['garbagecollector'], start: () => undefined },
  { name: 'bootstrap-signer-controller', disabledByDefault: true, start: () => undefined },
];
const names = (spec: string[]) => enabledControllers(spec, all).map((d) => d.name);

test('--controllers selects controllers as upstream', () => {
  assert.deepEqual(names(['*']), ['namespace-controller', 'garbage-collector-controller']);
  assert.deepEqual(names(['*', '-garbagecollector']), ['namespace-controller']);
  assert.deepEqual(names(['*,-namespace-controller,bootstrap-signer-controller']), ['garbage-collector-controller', 'bootstrap-signer-controller']);
  assert.deepEqual(names(['namespace']), ['namespace-controller']);
  assert.deepEqual(names(['-namespace']), []);
  assert.throws(() => names(['*', 'nope']), /"nope" is not in the list of known controllers/);
});

test('the real registry knows the namespace and node IPAM controllers under both names', () => {
  assert.deepEqual(
    enabledControllers(['namespace', 'nodeipam']).map((d) => d.name),
    ['namespace-controller', 'node-ipam-controller'],
  );
});
