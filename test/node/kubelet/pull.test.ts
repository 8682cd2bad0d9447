// Image pulls end to end over the OCI distribution protocol: Debian's docker-registry on 127.0.0.1 holds the
// busybox image; `k8ts image pull/ls/rm` work while the server runs, and the node agent pulls a pod's image
// (imagePullPolicy Always) with the upstream Pulling/Pulled events.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { TestCluster } from '../../helpers/cluster.js';
import { BUSYBOX_TAR, K8TS_BIN, waitFor } from '../../helpers/cluster.js';
import { apply, events, hostCanRunPods, isRunningReady, startAgentCluster, waitPod } from './helpers.js';

const run = promisify(execFile);
const skip =
  hostCanRunPods() && existsSync('/usr/bin/docker-registry') && existsSync('/usr/bin/skopeo')
    ? false
    : 'needs root, the node runtime, docker-registry and skopeo';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

describe('kubelet: pulling images from a registry', { skip, concurrency: 1 }, () => {
  let c: TestCluster;
  let registry: ChildProcess | undefined;
  let work: string;
  let host: string;

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'k8ts-pull-'));
    host = `127.0.0.1:${await freePort()}`;
    const config = join(work, 'registry.yml');
    writeFileSync(config, `version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: ${join(work, 'data')}\nhttp:\n  addr: ${host}\n`);
    registry = spawn('/usr/bin/docker-registry', ['serve', config], { stdio: 'ignore' });
    await waitFor(async () => (await fetch(`http://${host}/v2/`)).status === 200, 15_000);
    execFileSync('skopeo', [
      'copy',
      '--quiet',
      '--dest-tls-verify=false',
      `oci-archive:${BUSYBOX_TAR}:docker.io/library/busybox:1.35`,
      `docker://${host}/team/busybox:1.35`,
    ]);
    c = await startAgentCluster();
  });
  after(async () => {
    try {
      const leftovers = c ? await c.cleanupAgent() : [];
      await c?.cleanup();
      assert.deepEqual(leftovers, [], 'host resources left behind');
    } finally {
      if (registry?.pid) process.kill(registry.pid, 'SIGTERM');
      rmSync(work, { recursive: true, force: true });
    }
  });

  it('k8ts image pull, ls and rm work while the server runs', async () => {
    const ref = `${host}/team/busybox:1.35`;
    const pulled = await run(process.execPath, [K8TS_BIN, 'image', 'pull', ref, '--data-dir', c.dataDir]);
    assert.match(pulled.stdout + pulled.stderr, /sha256:[0-9a-f]{64}/);
    const ls = await run(process.execPath, [K8TS_BIN, 'image', 'ls', '--data-dir', c.dataDir]);
    assert.match(ls.stdout, new RegExp(`${host.replace(/\./g, '\\.')}/team/busybox\\s+1\\.35`));
    await run(process.execPath, [K8TS_BIN, 'image', 'rm', ref, '--data-dir', c.dataDir]);
    const after = await run(process.execPath, [K8TS_BIN, 'image', 'ls', '--data-dir', c.dataDir]);
    assert.doesNotMatch(after.stdout, /team\/busybox/);
  });

  it('the node agent pulls a pod image (Always) and reports Pulling/Pulled', async () => {
    await apply(
      c,
      `apiVersion: v1
kind: Pod
metadata: {name: pulled}
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: main
    image: ${host}/team/busybox:1.35
    imagePullPolicy: Always
    command: ["sleep", "3600"]
`,
    );
    const p = await waitPod(c, 'pulled', isRunningReady, 30_000);
    assert.match(p.status.containerStatuses[0].imageID, /sha256:[0-9a-f]{64}/);
    const evs = await events(c, 'pulled');
    const reasons = evs.map((e) => e.reason);
    assert.ok(reasons.includes('Pulling'), reasons.join());
    const pulledEv = evs.find((e) => e.reason === 'Pulled');
    assert.match(pulledEv.message, /^Successfully pulled image ".*team\/busybox:1\.35" in [\d.]+m?s/);
  });
});
