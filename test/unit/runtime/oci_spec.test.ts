// Unit tests for the OCI spec builder's pure rules: args, env, capabilities, users, resources.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  ALL_CAPABILITIES,
  DEFAULT_CAPABILITIES,
  buildContainerSpec,
  effectiveCapabilities,
  processArgs,
  processEnv,
  resolveUser,
  resourcesSpec,
} from '../../../src/runtime/oci_spec.js';
import { buildConfList, assertPodSubnet } from '../../../src/runtime/cni.js';
import { renderHostsFile, renderResolvConf } from '../../../src/runtime/pod_files.js';

describe('processArgs', () => {
  const img = { Entrypoint: ['/ep'], Cmd: ['c1', 'c2'] };
  it('uses image entrypoint + cmd by default', () => assert.deepEqual(processArgs({}, img), ['/ep', 'c1', 'c2']));
  it('args replace cmd only', () => assert.deepEqual(processArgs({ args: ['a'] }, img), ['/ep', 'a']));
  it('command drops image cmd', () => assert.deepEqual(processArgs({ command: ['/x'] }, img), ['/x']));
  it('command + args', () => assert.deepEqual(processArgs({ command: ['/x'], args: ['y'] }, img), ['/x', 'y']));
  it('nothing to run is an error', () => assert.throws(() => processArgs({}, {}), /no command/));
});

describe('processEnv', () => {
  it('container env overrides image env, PATH defaulted, HOSTNAME set', () => {
    const env = processEnv(
      {
        env: [
          { name: 'A', value: '2' },
          { name: 'B', value: 'x=y' },
        ],
      },
      { Env: ['A=1', 'C=3'] },
      'pod',
    );
    assert.deepEqual(env, ['A=2', 'C=3', 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'HOSTNAME=pod', 'B=x=y']);
  });
});

describe('effectiveCapabilities', () => {
  it('defaults', () => assert.deepEqual(effectiveCapabilities(false), DEFAULT_CAPABILITIES));
  it('drop ALL then add', () => assert.deepEqual(effectiveCapabilities(false, ['NET_ADMIN'], ['ALL']), ['CAP_NET_ADMIN']));
  it('drop one', () => assert.ok(!effectiveCapabilities(false, [], ['KILL']).includes('CAP_KILL')));
  it('privileged gets all', () => assert.deepEqual(effectiveCapabilities(true, [], ['ALL']), ALL_CAPABILITIES));
});

describe('resolveUser', () => {
  const passwd = 'root:x:0:0::/:/bin/sh\napp:x:1000:1001::/:/bin/sh\n';
  const group = 'root:x:0:\nstaff:x:50:\n';
  it('image user by name', () => assert.deepEqual(resolveUser(undefined, 'app', passwd, group), { uid: 1000, gid: 1001 }));
  it('uid:group', () => assert.deepEqual(resolveUser(undefined, '7:staff', passwd, group), { uid: 7, gid: 50 }));
  it('runAsUser/runAsGroup win', () =>
    assert.deepEqual(resolveUser({ runAsUser: 5, runAsGroup: 6, supplementalGroups: [9] }, 'app', passwd, group), { uid: 5, gid: 6, additionalGids: [9] }));
  it('unknown name fails', () => assert.throws(() => resolveUser(undefined, 'nope', passwd, group), /unable to find user/));
});

describe('buildContainerSpec', () => {
  const base = {
    rootfs: '/r',
    user: { uid: 0, gid: 0 },
    podHostname: 'p',
    podFiles: { hosts: '/h', hostname: '/hn', resolvConf: '/rc' },
    terminationLogPath: '/t',
    netnsPath: '/run/netns/k8ts-x',
    infraPid: 42,
    hostIPC: false,
    sharePid: false,
    hostPID: false,
    cgroupsPath: '/k8ts/podu/c',
    memswAvailable: true,
  };
  it('joins the sandbox namespaces and sets limits', () => {
    const s = buildContainerSpec({
      ...base,
      config: {
        metadata: { name: 'c' },
        image: 'i',
        lowerDirs: ['/l'],
        command: ['sh'],
        resources: { memoryLimitBytes: 1 << 24, cpuQuota: 50000, cpuShares: 512, pidsLimit: 100 },
        securityContext: { readOnlyRootFilesystem: true, allowPrivilegeEscalation: false },
        mounts: [{ containerPath: '/d', hostPath: '/hd', readonly: true }],
      },
    });
    assert.deepEqual(s.linux.namespaces, [
      { type: 'mount' },
      { type: 'network', path: '/run/netns/k8ts-x' },
      { type: 'uts', path: '/proc/42/ns/uts' },
      { type: 'ipc', path: '/proc/42/ns/ipc' },
      { type: 'pid' },
    ]);
    assert.deepEqual(s.linux.resources.memory, { limit: 1 << 24, swap: 1 << 24 });
    assert.deepEqual(s.linux.resources.cpu, { shares: 512, quota: 50000, period: 100000 });
    assert.deepEqual(s.linux.resources.pids, { limit: 100 });
    assert.equal(s.root.readonly, true);
    assert.equal(s.process.noNewPrivileges, true);
    assert.ok(s.process.rlimits[0]!.hard <= 20000);
    assert.deepEqual(s.mounts.find((m) => m.destination === '/d')?.options, ['rbind', 'rprivate', 'ro']);
    assert.ok(s.mounts.some((m) => m.destination === '/etc/resolv.conf' && m.source === '/rc'));
    assert.ok(s.linux.maskedPaths?.includes('/proc/kcore'));
    assert.equal(s.hostname, 'p'); // set in the pod's UTS namespace, joined from the infra process
  });
  it('privileged: all caps, no masked paths, shared pid ns', () => {
    const s = buildContainerSpec({
      ...base,
      sharePid: true,
      config: { metadata: { name: 'c' }, image: 'i', lowerDirs: ['/l'], command: ['sh'], securityContext: { privileged: true } },
    });
    assert.deepEqual(s.process.capabilities.bounding, ALL_CAPABILITIES);
    assert.equal(s.linux.maskedPaths, undefined);
    assert.deepEqual(s.linux.namespaces.at(-1), { type: 'pid', path: '/proc/42/ns/pid' });
  });
  it("binds the termination message file at the container's terminationMessagePath", () => {
    const cfg = { metadata: { name: 'c' }, image: 'i', lowerDirs: ['/l'], command: ['sh'] };
    const at = (s: ReturnType<typeof buildContainerSpec>) => s.mounts.filter((m) => m.source === '/t').map((m) => m.destination);
    assert.deepEqual(at(buildContainerSpec({ ...base, config: cfg })), ['/dev/termination-log']);
    assert.deepEqual(at(buildContainerSpec({ ...base, config: { ...cfg, terminationMessageContainerPath: '/tmp/why' } })), ['/tmp/why']);
  });
  it('resources without memsw omit swap', () => assert.deepEqual(resourcesSpec({ memoryLimitBytes: 10 }, false, false).memory, { limit: 10 }));
});

describe('cni config and pod files', () => {
  it('conflist has bridge/host-local/portmap with our state dir', () => {
    const c = buildConfList({ binDir: '/b', bridgeName: 'k8ts0', podSubnet: '10.244.3.0/24', stateDir: '/s' });
    assert.equal(c.plugins[0]!.bridge, 'k8ts0');
    assert.deepEqual((c.plugins[0]!.ipam as { dataDir: string }).dataDir, '/s/ipam');
    assert.equal(c.plugins[1]!.type, 'portmap');
  });
  it('rejects subnets outside 10.244.0.0/16', () => {
    assert.throws(() => assertPodSubnet('10.0.0.0/24'));
    assert.doesNotThrow(() => assertPodSubnet('10.244.200.0/24'));
  });
  it('hosts and resolv.conf', () => {
    const h = renderHostsFile('10.244.1.5', 'web', [{ ip: '1.2.3.4', hostnames: ['a', 'b'] }]);
    assert.match(h, /^10\.244\.1\.5\tweb$/m);
    assert.match(h, /^1\.2\.3\.4\ta\tb$/m);
    assert.equal(
      renderResolvConf({ servers: ['10.96.0.10'], searches: ['default.svc.cluster.local'], options: ['ndots:5'] }),
      'search default.svc.cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n',
    );
  });
});
