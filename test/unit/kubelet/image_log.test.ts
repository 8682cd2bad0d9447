// The image manager's log lines: a pull that worked (image, durationMs) at info, one that failed at warn.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import type { Pod } from '../../../src/api/core/v1/types.js';
import { Backoff } from '../../../src/kubelet/kuberuntime/backoff.js';
import { ImageManager } from '../../../src/kubelet/images/image_manager.js';
import { ImageStore, type ImageRecord } from '../../../src/runtime/images/index.js';
import { ImageError } from '../../../src/runtime/images/errors.js';

test('pulls are logged with pod, container, image and durationMs; failures with err', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-imglog-'));
  try {
    const lines: Record<string, any>[] = [];
    const sink = new Writable({
      write(chunk, _e, cb) {
        for (const l of String(chunk).split('\n')) if (l) lines.push(JSON.parse(l));
        cb();
      },
    });
    const log = pino({ level: 'info' }, sink);
    const img = { id: 'sha256:abc', repoDigests: ['docker.io/library/busybox@sha256:def'], size: 1234 } as unknown as ImageRecord;
    let fail = false;
    const mgr = new ImageManager(
      new ImageStore(dir),
      { event: () => {} },
      new Backoff({ initialMs: 1, maxMs: 2, resetAfterMs: 10 }),
      async () => {
        if (fail) throw new ImageError('NotFound', 'manifest unknown');
        return img;
      },
      log,
    );
    const pod: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'ns1', uid: 'u1' }, spec: { containers: [] } };
    const ok = await mgr.ensureImageExists(pod, { name: 'c', image: 'busybox:1.99', imagePullPolicy: 'Always' });
    assert.equal(ok.ok, true);
    fail = true;
    const bad = await mgr.ensureImageExists(pod, { name: 'd', image: 'busybox:1.98', imagePullPolicy: 'Always' });
    assert.equal(bad.ok, false);
    assert.equal(lines.length, 2);
    const [pulled, failed] = lines;
    assert.equal(pulled!.msg, 'Pulled image');
    assert.equal(pulled!.level, 30);
    assert.equal(pulled!.pod, 'ns1/p');
    assert.equal(pulled!.container, 'c');
    assert.equal(pulled!.image, 'docker.io/library/busybox:1.99');
    assert.equal(pulled!.imageID, 'docker.io/library/busybox@sha256:def');
    assert.equal(typeof pulled!.durationMs, 'number');
    assert.equal(failed!.msg, 'Failed to pull image');
    assert.equal(failed!.level, 40);
    assert.equal(failed!.container, 'd');
    assert.match(failed!.err, /manifest unknown/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
