// runc's error text out of what conmon relays when `runc create` fails (logrus lines, Go-quoted messages).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runcErrorText } from '../../../src/runtime/conmon.js';

test('the last error line of runc, unquoted', () => {
  const raw =
    'time="2026-12-03T12:15:21Z" level=error msg="runc create failed: unable to start container process: exec: \\"/no/such/binary\\": stat /no/such/binary: no such file or directory"';
  assert.equal(
    runcErrorText(raw),
    'runc create failed: unable to start container process: exec: "/no/such/binary": stat /no/such/binary: no such file or directory',
  );
  const two = `time="t" level=warning msg="ignored"\ntime="t" level=error msg="first"\ntime="t" level=error msg="second \\\\ back"`;
  assert.equal(runcErrorText(two), 'second \\ back');
});

test('text that is not a logrus line is kept as it is', () => {
  assert.equal(runcErrorText('  something broke\n'), 'something broke');
});
