// Unit tests for src/runtime/infra.ts: the infra process's command line for each namespace combination.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { infraCommand } from '../../../src/runtime/infra.js';

const base = { catatonitPath: '/usr/bin/catatonit', netnsPath: '/run/netns/k8ts-a', hostIPC: false, sharedPid: false };
const argv = (o: Partial<typeof base>) => {
  const c = infraCommand({ ...base, ...o });
  return [c.file, ...c.args];
};

describe('infraCommand', () => {
  it('joins the netns, makes IPC and UTS namespaces and drops to uid/gid 65535', () =>
    assert.deepEqual(argv({}), [
      '/usr/bin/nsenter',
      '--net=/run/netns/k8ts-a',
      '--',
      '/usr/bin/unshare',
      '--ipc',
      '--uts',
      '--setgid=65535',
      '--setuid=65535',
      '--',
      '/usr/bin/catatonit',
      '-P',
    ]));
  it('hostNetwork: no nsenter and the host UTS namespace', () =>
    assert.deepEqual(argv({ netnsPath: '' }), ['/usr/bin/unshare', '--ipc', '--setgid=65535', '--setuid=65535', '--', '/usr/bin/catatonit', '-P']));
  it('hostIPC keeps the host IPC namespace', () => assert.ok(!argv({ hostIPC: true }).includes('--ipc')));
  it('shareProcessNamespace: catatonit is PID 1 of a new PID namespace', () => {
    const a = argv({ sharedPid: true });
    assert.deepEqual(a.slice(a.indexOf('--pid'), a.indexOf('--pid') + 2), ['--pid', '--fork']);
    assert.ok(a.indexOf('--pid') < a.lastIndexOf('--'));
  });
});
