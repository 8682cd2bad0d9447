// The log level from klog's --v and --log-level, and that setting it reaches component loggers made before.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { configureLogging, levelForVerbosity, logger, objRef, resolveLogLevel } from '../../../src/log/logger.js';

test('--v maps to levels as klog verbosity: 0-3 info, 4-5 debug, 6+ trace', () => {
  assert.deepEqual([0, 1, 2, 3, 4, 5, 6, 9].map(levelForVerbosity), ['info', 'info', 'info', 'info', 'debug', 'debug', 'trace', 'trace']);
  assert.equal(resolveLogLevel({ v: '4' }, 'info'), 'debug');
  assert.equal(resolveLogLevel({ v: 2 }, 'warn'), 'info');
});

test('--log-level wins over --v; neither keeps the default', () => {
  assert.equal(resolveLogLevel({ logLevel: 'warn', v: '6' }, 'info'), 'warn');
  assert.equal(resolveLogLevel({ logLevel: 'DEBUG' }, 'info'), 'debug');
  assert.equal(resolveLogLevel({}, 'error'), 'error');
});

test('invalid --log-level and --v are rejected with the accepted values', () => {
  assert.throws(() => resolveLogLevel({ logLevel: 'loud' }), /--log-level must be one of error\|warn\|info\|debug\|trace, got "loud"/);
  assert.throws(() => resolveLogLevel({ v: '-1' }), /--v wants a non-negative integer/);
  assert.throws(() => resolveLogLevel({ v: 'x' }), /--v wants a non-negative integer/);
});

test('configureLogging changes the level of component loggers created earlier', () => {
  const before = logger('test-component');
  configureLogging('debug');
  try {
    assert.equal(before.isLevelEnabled('debug'), true);
    assert.equal(logger('test-later').isLevelEnabled('debug'), true);
    configureLogging('warn');
    assert.equal(before.isLevelEnabled('info'), false);
    assert.equal(before.isLevelEnabled('warn'), true);
  } finally {
    configureLogging('info');
  }
});

test('objRef is ns/name for namespaced objects, name otherwise', () => {
  assert.equal(objRef({ namespace: 'default', name: 'web' }), 'default/web');
  assert.equal(objRef({ name: 'node-1' }), 'node-1');
});
