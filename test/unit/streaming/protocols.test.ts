// Unit tests: sub-protocol negotiation, resize decoding, exec options and the error-channel Status.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  negotiateProtocol,
  offeredProtocols,
  parseTerminalSize,
  remoteCommandOptions,
  REMOTE_COMMAND_WS_PROTOCOLS,
  TerminalSizeDecoder,
} from '../../../src/kubelet/server/streaming/protocols.js';
import { errorChannelPayload, exitCodeStatus } from '../../../src/kubelet/server/streaming/exit_status.js';

test('negotiation picks our most preferred protocol the client offers', () => {
  const offered = offeredProtocols('v4.channel.k8s.io, v5.channel.k8s.io');
  assert.deepEqual(offered, ['v4.channel.k8s.io', 'v5.channel.k8s.io']);
  assert.equal(negotiateProtocol(offered, REMOTE_COMMAND_WS_PROTOCOLS), 'v5.channel.k8s.io');
  assert.equal(negotiateProtocol(offeredProtocols(['v4.channel.k8s.io', 'channel.k8s.io']), REMOTE_COMMAND_WS_PROTOCOLS), 'v4.channel.k8s.io');
  assert.equal(negotiateProtocol(['base64.channel.k8s.io'], REMOTE_COMMAND_WS_PROTOCOLS), undefined);
});

test('resize messages decode, malformed ones are ignored', () => {
  assert.deepEqual(parseTerminalSize('{"Width":120,"Height":40}'), { width: 120, height: 40 });
  assert.equal(parseTerminalSize('{"Width":"x"}'), undefined);
  assert.equal(parseTerminalSize('nope'), undefined);
  const d = new TerminalSizeDecoder();
  assert.deepEqual(d.push('{"Width":1,"Height":2}{"Wid'), [{ width: 1, height: 2 }]);
  assert.deepEqual(d.push('th":3,"Height":4}'), [{ width: 3, height: 4 }]);
});

test('exec options from the query; a TTY drops stderr', () => {
  const o = remoteCommandOptions(new URLSearchParams('command=sh&command=-c&command=true&stdin=true&stdout=true&stderr=true&tty=true'));
  assert.deepEqual(o, { stdin: true, stdout: true, stderr: false, tty: true, command: ['sh', '-c', 'true'] });
  const p = remoteCommandOptions(new URLSearchParams('command=ls&stdout=1&stderr=1'));
  assert.equal(p.stdin, false);
  assert.equal(p.stderr, true);
});

test('exit status: NonZeroExitCode with the code as an ExitCode cause', () => {
  const st = exitCodeStatus(3, ['sh', '-c', 'exit 3']);
  assert.equal(st.status, 'Failure');
  assert.equal(st.reason, 'NonZeroExitCode');
  assert.deepEqual(st.details?.causes, [{ reason: 'ExitCode', message: '3' }]);
  assert.match(st.message ?? '', /exit code 3/);
  assert.equal(exitCodeStatus(0).status, 'Success');
  const v5 = JSON.parse(errorChannelPayload('v5.channel.k8s.io', st)!.toString());
  assert.equal(v5.reason, 'NonZeroExitCode');
  assert.equal(errorChannelPayload('v2.channel.k8s.io', exitCodeStatus(0)), undefined);
  assert.match(errorChannelPayload('v2.channel.k8s.io', st)!.toString(), /non-zero exit code/);
});
