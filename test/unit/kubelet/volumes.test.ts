// VolumeManager on a real filesystem: every volume type, layout, modes, optional/missing, refresh,
// subPath handling, tmpfs mount and teardown.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { VolumeManager, VolumeSetupError, ContainerConfigError } from '../../../src/kubelet/volumes/index.js';
import type { Container, Pod } from '../../../src/api/core/v1/types.js';
import { FakeSource, isRoot, makePod, makeTempDir, mode, mountPointsUnder, removeTempDir } from './volume_helpers.js';

let root: string;
let podsDir: string;
let source: FakeSource;
let vm: VolumeManager;
const pods: Pod[] = [];
const alloc = { cpu: '4', memory: '8Gi', 'ephemeral-storage': '100Gi' };

function pod(spec: Partial<NonNullable<Pod['spec']>>, meta: Partial<Pod['metadata']> = {}): Pod {
  const p = makePod(spec, meta);
  pods.push(p);
  return p;
}
function vdir(p: Pod, plugin: string, name: string): string {
  return path.join(podsDir, p.metadata.uid!, 'volumes', `kubernetes.io~${plugin}`, name);
}
function read(p: string): string {
  return fs.readFileSync(p, 'utf8');
}
async function setUpError(p: Pod): Promise<VolumeSetupError> {
  try {
    await vm.setUp(p);
  } catch (e) {
    assert.ok(e instanceof VolumeSetupError, `expected VolumeSetupError, got ${e}`);
    return e;
  }
  assert.fail('setUp should have failed');
}

before(() => {
  root = makeTempDir('volumes');
  podsDir = path.join(root, 'pods');
  source = new FakeSource();
  vm = new VolumeManager(podsDir, source, 'node-1', { nodeAllocatable: alloc });
});

after(async () => {
  for (const p of pods) await vm.tearDown(p.metadata.uid!).catch(() => undefined);
  removeTempDir(root);
});

describe('emptyDir', () => {
  it('creates a 0777 directory at the upstream path', async () => {
    const p = pod({ volumes: [{ name: 'scratch', emptyDir: {} }] });
    await vm.setUp(p);
    const d = vdir(p, 'empty-dir', 'scratch');
    assert.ok(fs.statSync(d).isDirectory());
    assert.equal(mode(d), 0o777);
    fs.writeFileSync(path.join(d, 'keep'), 'x');
    await vm.setUp(p); // idempotent, keeps data
    assert.equal(read(path.join(d, 'keep')), 'x');
  });

  it('treats a volume without a source as emptyDir', async () => {
    const p = pod({ volumes: [{ name: 'bare' }] });
    await vm.setUp(p);
    assert.ok(fs.statSync(vdir(p, 'empty-dir', 'bare')).isDirectory());
  });

  it('medium Memory mounts a sized tmpfs once and tearDown unmounts it', { skip: !isRoot && 'needs root to mount tmpfs' }, async () => {
    const p = pod({ volumes: [{ name: 'mem', emptyDir: { medium: 'Memory', sizeLimit: '16Mi' } }] });
    await vm.setUp(p);
    await vm.setUp(p);
    const d = vdir(p, 'empty-dir', 'mem');
    const mounts = fs
      .readFileSync('/proc/mounts', 'utf8')
      .split('\n')
      .filter((l) => l.split(' ')[1] === fs.realpathSync(d));
    assert.equal(mounts.length, 1, 'mounted exactly once');
    const [src, , fstype, opts] = mounts[0]!.split(' ');
    assert.equal(src, 'k8ts-tmpfs');
    assert.equal(fstype, 'tmpfs');
    assert.match(opts!, /size=16384k/);
    fs.writeFileSync(path.join(d, 'f'), 'in memory');
    await vm.tearDown(p.metadata.uid!);
    assert.equal(fs.existsSync(path.join(podsDir, p.metadata.uid!)), false);
    assert.equal(fs.readFileSync('/proc/mounts', 'utf8').includes(p.metadata.uid!), false);
  });

  it('memory-backed size defaults to the pod memory limit', { skip: !isRoot && 'needs root to mount tmpfs' }, async () => {
    const p = pod({
      containers: [
        { name: 'a', resources: { limits: { memory: '8Mi' } } },
        { name: 'b', resources: { limits: { memory: '4Mi' } } },
      ],
      volumes: [{ name: 'mem', emptyDir: { medium: 'Memory' } }],
    });
    await vm.setUp(p);
    const d = fs.realpathSync(vdir(p, 'empty-dir', 'mem'));
    const line = fs
      .readFileSync('/proc/mounts', 'utf8')
      .split('\n')
      .find((l) => l.split(' ')[1] === d);
    assert.match(line ?? '', /size=12288k/);
    await vm.tearDown(p.metadata.uid!);
    assert.deepEqual(
      mountPointsUnder(podsDir).filter((m) => m.includes(p.metadata.uid!)),
      [],
    );
  });

  it('fsGroup makes the volume group-owned and setgid', { skip: !isRoot && 'needs root to chown' }, async () => {
    const p = pod({ securityContext: { fsGroup: 1234 }, volumes: [{ name: 'shared', emptyDir: {} }] });
    await vm.setUp(p);
    const st = fs.statSync(vdir(p, 'empty-dir', 'shared'));
    assert.equal(st.gid, 1234);
    assert.equal(st.mode & 0o2000, 0o2000);
  });
});

describe('hostPath', () => {
  it('DirectoryOrCreate creates a 0755 directory; Directory checks it', async () => {
    const target = path.join(root, 'host', 'made', 'here');
    const p = pod({ volumes: [{ name: 'h', hostPath: { path: target, type: 'DirectoryOrCreate' } }] });
    await vm.setUp(p);
    assert.ok(fs.statSync(target).isDirectory());
    assert.equal(mode(target) & 0o755, 0o755);
    await vm.setUp(pod({ volumes: [{ name: 'h', hostPath: { path: target, type: 'Directory' } }] }));
  });

  it('Directory on a missing path fails with the upstream message', async () => {
    const missing = path.join(root, 'nope');
    const e = await setUpError(pod({ volumes: [{ name: 'h', hostPath: { path: missing, type: 'Directory' } }] }));
    assert.equal(e.message, `MountVolume.SetUp failed for volume "h" : hostPath type check failed: ${missing} is not a directory`);
    assert.equal(e.reason, 'FailedMount');
    assert.equal(e.volume, 'h');
  });

  it('FileOrCreate creates an empty file; File rejects a directory', async () => {
    const f = path.join(root, 'host-file');
    await vm.setUp(pod({ volumes: [{ name: 'h', hostPath: { path: f, type: 'FileOrCreate' } }] }));
    assert.ok(fs.statSync(f).isFile());
    assert.equal(fs.statSync(f).size, 0);
    await vm.setUp(pod({ volumes: [{ name: 'h', hostPath: { path: f, type: 'File' } }] }));
    const e = await setUpError(pod({ volumes: [{ name: 'h', hostPath: { path: root, type: 'File' } }] }));
    assert.match(e.message, /hostPath type check failed: .* is not a file$/);
  });

  it('Socket, CharDevice and BlockDevice check the file type', async () => {
    const sock = path.join(root, 's.sock');
    const server = net.createServer();
    await new Promise<void>((r) => server.listen(sock, r));
    try {
      await vm.setUp(pod({ volumes: [{ name: 'h', hostPath: { path: sock, type: 'Socket' } }] }));
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
    const e1 = await setUpError(pod({ volumes: [{ name: 'h', hostPath: { path: root, type: 'Socket' } }] }));
    assert.equal(e1.message, `MountVolume.SetUp failed for volume "h" : hostPath type check failed: ${root} is not a socket file`);
    await vm.setUp(pod({ volumes: [{ name: 'h', hostPath: { path: '/dev/null', type: 'CharDevice' } }] }));
    const e2 = await setUpError(pod({ volumes: [{ name: 'h', hostPath: { path: '/dev/null', type: 'BlockDevice' } }] }));
    assert.match(e2.message, /hostPath type check failed: \/dev\/null is not a block device$/);
    const e3 = await setUpError(pod({ volumes: [{ name: 'h', hostPath: { path: root, type: 'CharDevice' } }] }));
    assert.match(e3.message, /is not a character device$/);
  });

  it('type "" does no checks and mounts the path itself', async () => {
    const missing = path.join(root, 'not-there');
    const p = pod({
      volumes: [{ name: 'h', hostPath: { path: missing } }],
      containers: [{ name: 'c', volumeMounts: [{ name: 'h', mountPath: '/h' }] }],
    });
    await vm.setUp(p);
    assert.equal(fs.existsSync(missing), false);
    assert.deepEqual(vm.mountsFor(p, p.spec!.containers[0]!), [{ name: 'h', hostPath: missing, containerPath: '/h', readOnly: false, propagation: 'private' }]);
    const withSub: Container = { name: 'c', volumeMounts: [{ name: 'h', mountPath: '/h', subPath: 'x' }] };
    assert.throws(
      () => vm.mountsFor(p, withSub),
      (e: Error) => e instanceof ContainerConfigError && /unable to provision SubPath `x`/.test(e.message),
    );
  });
});

describe('configMap', () => {
  it('projects every data and binaryData key with mode 0644 through ..data symlinks', async () => {
    source.putConfigMap('app', { 'a.conf': 'alpha', b: 'beta' }, { bin: Buffer.from([0, 1, 2, 255]).toString('base64') });
    const p = pod({ volumes: [{ name: 'cfg', configMap: { name: 'app' } }] });
    await vm.setUp(p);
    const d = vdir(p, 'configmap', 'cfg');
    assert.equal(read(path.join(d, 'a.conf')), 'alpha');
    assert.equal(read(path.join(d, 'b')), 'beta');
    assert.deepEqual([...fs.readFileSync(path.join(d, 'bin'))], [0, 1, 2, 255]);
    assert.equal(fs.readlinkSync(path.join(d, 'a.conf')), '..data/a.conf');
    const ts = fs.readlinkSync(path.join(d, '..data'));
    assert.match(ts, /^\.\.\d{4}_\d{2}_\d{2}_\d{2}_\d{2}_\d{2}\.\d+$/);
    assert.equal(mode(path.join(d, ts, 'a.conf')), 0o644);
    assert.equal(mode(path.join(d, ts)), 0o755);
    assert.deepEqual(fs.readdirSync(d).sort(), ['..data', ts, 'a.conf', 'b', 'bin'].sort());
  });

  it('items map keys to paths with per-item modes and defaultMode', async () => {
    source.putConfigMap('items', { one: '1', two: '2', three: '3' });
    const p = pod({
      volumes: [
        {
          name: 'cfg',
          configMap: {
            name: 'items',
            defaultMode: 0o600,
            items: [
              { key: 'one', path: 'nested/dir/one.txt' },
              { key: 'two', path: 'two', mode: 0o400 },
            ],
          },
        },
      ],
    });
    await vm.setUp(p);
    const d = vdir(p, 'configmap', 'cfg');
    assert.equal(read(path.join(d, 'nested/dir/one.txt')), '1');
    assert.equal(fs.readlinkSync(path.join(d, 'nested')), '..data/nested');
    assert.equal(mode(path.join(d, 'nested/dir/one.txt')), 0o600);
    assert.equal(mode(path.join(d, 'two')), 0o400);
    assert.equal(fs.existsSync(path.join(d, 'three')), false);
  });

  it('missing ConfigMap fails with the upstream event message', async () => {
    const e = await setUpError(pod({ volumes: [{ name: 'cfg', configMap: { name: 'missing' } }] }));
    assert.equal(e.message, 'MountVolume.SetUp failed for volume "cfg" : configmap "missing" not found');
  });

  it('optional missing ConfigMap gives an empty volume', async () => {
    const p = pod({ volumes: [{ name: 'cfg', configMap: { name: 'missing', optional: true } }] });
    await vm.setUp(p);
    const d = vdir(p, 'configmap', 'cfg');
    const entries = fs.readdirSync(d).filter((n) => !n.startsWith('..'));
    assert.deepEqual(entries, []);
    assert.deepEqual(fs.readdirSync(path.join(d, '..data')), []);
  });

  it('missing key in items is an error unless optional', async () => {
    source.putConfigMap('partial', { here: 'yes' });
    const e = await setUpError(pod({ volumes: [{ name: 'cfg', configMap: { name: 'partial', items: [{ key: 'gone', path: 'g' }] } }] }));
    assert.equal(e.message, 'MountVolume.SetUp failed for volume "cfg" : configmap references non-existent config key: gone');
    const p = pod({
      volumes: [
        {
          name: 'cfg',
          configMap: {
            name: 'partial',
            optional: true,
            items: [
              { key: 'gone', path: 'g' },
              { key: 'here', path: 'h' },
            ],
          },
        },
      ],
    });
    await vm.setUp(p);
    assert.equal(read(path.join(vdir(p, 'configmap', 'cfg'), 'h')), 'yes');
    assert.equal(fs.existsSync(path.join(vdir(p, 'configmap', 'cfg'), 'g')), false);
  });

  it('refresh publishes updates atomically and cleans up old versions and removed keys', async () => {
    source.putConfigMap('live', { k1: 'v1', k2: 'v2' });
    const p = pod({ volumes: [{ name: 'cfg', configMap: { name: 'live' } }] });
    await vm.setUp(p);
    const d = vdir(p, 'configmap', 'cfg');
    const ts1 = fs.readlinkSync(path.join(d, '..data'));
    assert.equal(await vm.refresh(p), false, 'no change → false');
    assert.equal(fs.readlinkSync(path.join(d, '..data')), ts1);
    source.putConfigMap('live', { k1: 'v1-new', k3: 'v3' });
    assert.equal(await vm.refresh(p), true);
    const ts2 = fs.readlinkSync(path.join(d, '..data'));
    assert.notEqual(ts2, ts1);
    assert.equal(fs.existsSync(path.join(d, ts1)), false, 'old timestamped dir removed');
    assert.equal(read(path.join(d, 'k1')), 'v1-new');
    assert.equal(read(path.join(d, 'k3')), 'v3');
    assert.equal(fs.existsSync(path.join(d, 'k2')), false);
    assert.throws(() => fs.lstatSync(path.join(d, 'k2')), /ENOENT/, 'stale user-visible symlink removed');
    assert.deepEqual(
      fs
        .readdirSync(d)
        .filter((n) => n.startsWith('..'))
        .sort(),
      ['..data', ts2].sort(),
    );
  });

  it('refresh of a deleted ConfigMap fails but keeps the last content', async () => {
    source.putConfigMap('doomed', { k: 'v' });
    const p = pod({ volumes: [{ name: 'cfg', configMap: { name: 'doomed' } }] });
    await vm.setUp(p);
    source.configMaps.delete('default/doomed');
    await assert.rejects(vm.refresh(p), /MountVolume.SetUp failed for volume "cfg" : configmap "doomed" not found/);
    assert.equal(read(path.join(vdir(p, 'configmap', 'cfg'), 'k')), 'v');
  });
});

describe('secret', () => {
  it('writes base64-decoded bytes, on tmpfs when root', async () => {
    source.putSecret('creds', { user: 'admin', blob: Buffer.from([0xde, 0xad, 0xbe, 0xef]) });
    const p = pod({ volumes: [{ name: 'sec', secret: { secretName: 'creds', defaultMode: 0o440 } }] });
    await vm.setUp(p);
    const d = vdir(p, 'secret', 'sec');
    assert.equal(read(path.join(d, 'user')), 'admin');
    assert.deepEqual([...fs.readFileSync(path.join(d, 'blob'))], [0xde, 0xad, 0xbe, 0xef]);
    assert.equal(mode(path.join(d, 'user')), 0o440);
    if (isRoot) {
      const line = fs
        .readFileSync('/proc/mounts', 'utf8')
        .split('\n')
        .find((l) => l.split(' ')[1] === fs.realpathSync(d));
      assert.ok(line?.startsWith('k8ts-tmpfs '), `secret volume on tmpfs: ${line}`);
    }
    await vm.setUp(p); // idempotent: still one mount
    if (isRoot) assert.equal(mountPointsUnder(d).length, 1);
  });

  it('missing Secret and missing key use upstream wording; optional gives empty', async () => {
    const e1 = await setUpError(pod({ volumes: [{ name: 'sec', secret: { secretName: 'nope' } }] }));
    assert.equal(e1.message, 'MountVolume.SetUp failed for volume "sec" : secret "nope" not found');
    source.putSecret('few', { a: 'x' });
    const e2 = await setUpError(pod({ volumes: [{ name: 'sec', secret: { secretName: 'few', items: [{ key: 'b', path: 'b' }] } }] }));
    assert.equal(e2.message, 'MountVolume.SetUp failed for volume "sec" : references non-existent secret key: b');
    const p = pod({ volumes: [{ name: 'sec', secret: { secretName: 'nope', optional: true } }] });
    await vm.setUp(p);
    assert.deepEqual(
      fs.readdirSync(vdir(p, 'secret', 'sec')).filter((n) => !n.startsWith('..')),
      [],
    );
  });
});

describe('downwardAPI', () => {
  const meta = {
    labels: { app: 'web', tier: 'front"end' },
    annotations: { note: 'line1\nline2\ttab', 'example.com/x': 'é ü' },
  };
  it('projects metadata fields in upstream format and resources with divisors', async () => {
    const p = pod(
      {
        containers: [{ name: 'main', resources: { limits: { cpu: '250m', memory: '64Mi' }, requests: { cpu: '100m', memory: '32Mi' } } }, { name: 'nolimits' }],
        volumes: [
          {
            name: 'info',
            downwardAPI: {
              items: [
                { path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } },
                { path: 'annotations', fieldRef: { fieldPath: 'metadata.annotations' } },
                { path: 'app', fieldRef: { fieldPath: "metadata.labels['app']" } },
                { path: 'x', fieldRef: { fieldPath: "metadata.annotations['example.com/x']" } },
                { path: 'name', fieldRef: { fieldPath: 'metadata.name' } },
                { path: 'ns', fieldRef: { fieldPath: 'metadata.namespace' }, mode: 0o400 },
                { path: 'uid', fieldRef: { fieldPath: 'metadata.uid' } },
                { path: 'cpu_limit', resourceFieldRef: { containerName: 'main', resource: 'limits.cpu' } },
                { path: 'cpu_limit_m', resourceFieldRef: { containerName: 'main', resource: 'limits.cpu', divisor: '1m' } },
                { path: 'mem_limit_mi', resourceFieldRef: { containerName: 'main', resource: 'limits.memory', divisor: '1Mi' } },
                { path: 'mem_req', resourceFieldRef: { containerName: 'main', resource: 'requests.memory' } },
                { path: 'cpu_req_m', resourceFieldRef: { containerName: 'main', resource: 'requests.cpu', divisor: '1m' } },
                { path: 'alloc_cpu', resourceFieldRef: { containerName: 'nolimits', resource: 'limits.cpu' } },
                { path: 'alloc_mem_gi', resourceFieldRef: { containerName: 'nolimits', resource: 'limits.memory', divisor: '1Gi' } },
              ],
            },
          },
        ],
      },
      meta,
    );
    await vm.setUp(p);
    const d = vdir(p, 'downward-api', 'info');
    const r = (n: string): string => read(path.join(d, n));
    assert.equal(r('labels'), 'app="web"\ntier="front\\"end"');
    assert.equal(r('annotations'), 'example.com/x="é ü"\nnote="line1\\nline2\\ttab"');
    assert.equal(r('app'), 'web');
    assert.equal(r('x'), 'é ü');
    assert.equal(r('name'), p.metadata.name);
    assert.equal(r('ns'), 'default');
    assert.equal(mode(path.join(d, 'ns')), 0o400);
    assert.equal(mode(path.join(d, 'name')), 0o644);
    assert.equal(r('uid'), p.metadata.uid);
    assert.equal(r('cpu_limit'), '1', '250m rounds up to 1 core');
    assert.equal(r('cpu_limit_m'), '250');
    assert.equal(r('mem_limit_mi'), '64');
    assert.equal(r('mem_req'), String(32 * 1024 * 1024));
    assert.equal(r('cpu_req_m'), '100');
    assert.equal(r('alloc_cpu'), '4', 'no limit → node allocatable');
    assert.equal(r('alloc_mem_gi'), '8');
  });

  it('refresh rewrites labels after a pod update and reports no change otherwise', async () => {
    const p = pod(
      { volumes: [{ name: 'info', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }] } }] },
      { labels: { v: '1' } },
    );
    await vm.setUp(p);
    const d = vdir(p, 'downward-api', 'info');
    assert.equal(await vm.refresh(p), false);
    const updated: Pod = { ...p, metadata: { ...p.metadata, labels: { v: '2', extra: 'yes' } } };
    assert.equal(await vm.refresh(updated), true);
    assert.equal(read(path.join(d, 'labels')), 'extra="yes"\nv="2"');
  });

  it('reports bad items as a FailedMount', async () => {
    const e = await setUpError(pod({ volumes: [{ name: 'info', downwardAPI: { items: [{ path: 'x', fieldRef: { fieldPath: 'spec.nodeName' } }] } }] }));
    assert.equal(e.message, 'MountVolume.SetUp failed for volume "info" : unsupported fieldPath: spec.nodeName');
  });
});

describe('projected', () => {
  it('merges secret, configMap and downwardAPI sources and skips serviceAccountToken', async () => {
    source.putSecret('proj-sec', { token: 'sekret' });
    source.putConfigMap('proj-cm', { 'ca.crt': 'CERT', other: 'o' });
    const p = pod({
      volumes: [
        {
          name: 'bundle',
          projected: {
            defaultMode: 0o640,
            sources: [
              { serviceAccountToken: { path: 'sa-token', expirationSeconds: 3600 } },
              { secret: { name: 'proj-sec' } },
              { configMap: { name: 'proj-cm', items: [{ key: 'ca.crt', path: 'ca.crt', mode: 0o444 }] } },
              { downwardAPI: { items: [{ path: 'namespace', fieldRef: { fieldPath: 'metadata.namespace' } }] } },
              { configMap: { name: 'absent', optional: true } },
            ],
          },
        },
      ],
    });
    await vm.setUp(p);
    const d = vdir(p, 'projected', 'bundle');
    assert.deepEqual(
      fs
        .readdirSync(d)
        .filter((n) => !n.startsWith('..'))
        .sort(),
      ['ca.crt', 'namespace', 'token'],
    );
    assert.equal(read(path.join(d, 'token')), 'sekret');
    assert.equal(mode(path.join(d, 'token')), 0o640);
    assert.equal(mode(path.join(d, 'ca.crt')), 0o444);
    assert.equal(read(path.join(d, 'namespace')), 'default');
    assert.equal(fs.existsSync(path.join(d, 'sa-token')), false);
  });

  it('aggregates errors of several failing sources', async () => {
    const e = await setUpError(
      pod({ volumes: [{ name: 'bundle', projected: { sources: [{ secret: { name: 's-missing' } }, { configMap: { name: 'c-missing' } }] } }] }),
    );
    assert.equal(e.message, 'MountVolume.SetUp failed for volume "bundle" : [secret "s-missing" not found, configmap "c-missing" not found]');
  });
});

describe('unsupported volumes', () => {
  it('fails a persistentVolumeClaim volume with FailedMount', async () => {
    const e = await setUpError(pod({ volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'pvc' } }] }));
    assert.equal(e.volume, 'data');
    assert.match(e.message, /^MountVolume.SetUp failed for volume "data" : volume type persistentVolumeClaim is not supported/);
  });
});

describe('mountsFor', () => {
  function container(mounts: Container['volumeMounts'], extra: Partial<Container> = {}): Container {
    return { name: 'app', image: 'busybox', volumeMounts: mounts, ...extra };
  }

  it('returns mounts in order with read-only rules and propagation', async () => {
    source.putConfigMap('m-cm', { k: 'v' });
    const p = pod({
      volumes: [
        { name: 'scratch', emptyDir: {} },
        { name: 'cfg', configMap: { name: 'm-cm' } },
      ],
    });
    await vm.setUp(p);
    const c = container([
      { name: 'cfg', mountPath: '/etc/cfg' },
      { name: 'scratch', mountPath: '/scratch', readOnly: true, mountPropagation: 'HostToContainer' },
      { name: 'scratch', mountPath: '/rw' },
    ]);
    assert.deepEqual(vm.mountsFor(p, c), [
      { name: 'cfg', hostPath: vdir(p, 'configmap', 'cfg'), containerPath: '/etc/cfg', readOnly: true, propagation: 'private' },
      { name: 'scratch', hostPath: vdir(p, 'empty-dir', 'scratch'), containerPath: '/scratch', readOnly: true, propagation: 'rslave' },
      { name: 'scratch', hostPath: vdir(p, 'empty-dir', 'scratch'), containerPath: '/rw', readOnly: false, propagation: 'private' },
    ]);
    assert.throws(
      () => vm.mountsFor(p, container([{ name: 'scratch', mountPath: '/b', mountPropagation: 'Bidirectional' }])),
      (e: Error) => {
        assert.ok(e instanceof ContainerConfigError);
        assert.equal(e.message, 'Bidirectional mount propagation is available only to privileged containers');
        return true;
      },
    );
    const priv = vm.mountsFor(
      p,
      container([{ name: 'scratch', mountPath: '/b', mountPropagation: 'Bidirectional' }], { securityContext: { privileged: true } }),
    );
    assert.equal(priv[0]!.propagation, 'rshared');
    assert.throws(() => vm.mountsFor(p, container([{ name: 'ghost', mountPath: '/g' }])), /cannot find volume "ghost" to mount into container "app"/);
  });

  it('subPath creates the directory with the volume mode and subPathExpr expands env', async () => {
    source.putConfigMap('sp-cm', { 'app.conf': 'conf' });
    const p = pod({
      volumes: [
        { name: 'scratch', emptyDir: {} },
        { name: 'cfg', configMap: { name: 'sp-cm' } },
      ],
    });
    await vm.setUp(p);
    const base = vdir(p, 'empty-dir', 'scratch');
    const [m] = vm.mountsFor(p, container([{ name: 'scratch', mountPath: '/data', subPath: 'a/b' }]));
    assert.equal(m!.hostPath, path.join(fs.realpathSync(base), 'a/b'));
    assert.ok(fs.statSync(m!.hostPath).isDirectory());
    assert.equal(mode(m!.hostPath), 0o777);
    const [e] = vm.mountsFor(p, container([{ name: 'scratch', mountPath: '/logs', subPathExpr: 'logs/$(POD_NAME)' }]), { POD_NAME: 'web-1' });
    assert.equal(e!.hostPath, path.join(fs.realpathSync(base), 'logs/web-1'));
    assert.throws(
      () => vm.mountsFor(p, container([{ name: 'scratch', mountPath: '/l', subPathExpr: '$(NOPE)/$(EMPTY)' }]), { EMPTY: '' }),
      /missing value for EMPTY, NOPE/,
    );
    // a configMap key as subPath: a read-only file mount of the current content
    const [f] = vm.mountsFor(p, container([{ name: 'cfg', mountPath: '/etc/app.conf', subPath: 'app.conf' }]));
    assert.equal(read(f!.hostPath), 'conf');
    assert.equal(f!.readOnly, true);
    assert.ok(f!.hostPath.startsWith(fs.realpathSync(vdir(p, 'configmap', 'cfg')) + '/..'));
  });

  it('rejects absolute subPaths, .. elements and symlink escapes', async () => {
    const p = pod({ volumes: [{ name: 'scratch', emptyDir: {} }] });
    await vm.setUp(p);
    const base = vdir(p, 'empty-dir', 'scratch');
    const tryMount =
      (subPath: string, expr = false): (() => void) =>
      () =>
        vm.mountsFor(p, container([expr ? { name: 'scratch', mountPath: '/x', subPathExpr: subPath } : { name: 'scratch', mountPath: '/x', subPath }]), {
          UP: '..',
        });
    assert.throws(tryMount('/etc'), (e: Error) => e instanceof ContainerConfigError && e.message === 'error SubPath `/etc` must not be an absolute path');
    assert.throws(tryMount('a/../../etc'), /unable to provision SubPath `a\/\.\.\/\.\.\/etc`: must not contain '\.\.'/);
    assert.throws(tryMount('$(UP)/x', true), /must not contain '\.\.'/);
    fs.symlinkSync('/etc', path.join(base, 'escape'));
    assert.throws(tryMount('escape'), /resolves outside of volume path/);
    assert.throws(tryMount('escape/passwd'), /resolves outside of volume path/);
    assert.equal(fs.existsSync('/etc/k8ts-should-not-exist'), false);
  });
});

describe('tearDown', () => {
  it('unmounts every tmpfs of the pod and removes its directory', { skip: !isRoot && 'needs root to mount tmpfs' }, async () => {
    source.putSecret('td', { k: 'v' });
    const p = pod({
      volumes: [
        { name: 'm', emptyDir: { medium: 'Memory' } },
        { name: 's', secret: { secretName: 'td' } },
        { name: 'd', emptyDir: {} },
      ],
    });
    await vm.setUp(p);
    const dir = path.join(podsDir, p.metadata.uid!);
    assert.equal(mountPointsUnder(dir).length, 2);
    await vm.tearDown(p.metadata.uid!);
    assert.equal(fs.existsSync(dir), false);
    assert.equal(fs.readFileSync('/proc/mounts', 'utf8').includes(p.metadata.uid!), false);
    await vm.tearDown(p.metadata.uid!); // idempotent
    await assert.rejects(vm.tearDown('../escape'), /invalid pod UID/);
  });
});
