// Builds the busybox OCI image with the setup script and loads it (OCI layout and docker-archive forms) into a
// temp ImageStore; checks refs, config, unpacked layers, removal/GC, and overlay whiteouts on a real mount.
// Needs root, GNU tar, busybox-static and skopeo.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createHash } from 'node:crypto';
import { ImageStore } from '../../../src/runtime/images/store.js';
import { isOverlayWhiteout } from '../../../src/runtime/images/unpack.js';
import { buildBusybox, tempDir } from './helpers.js';

const sha = (b: Buffer | string) => 'sha256:' + createHash('sha256').update(b).digest('hex');

describe('image store with the busybox image', () => {
  let work: string;
  let tarPath: string;
  before(() => {
    work = tempDir('images');
    tarPath = buildBusybox(work);
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  it('builds a reproducible OCI layout tar with ref.name annotations', () => {
    const again = buildBusybox(tempDir('images-again'));
    try {
      assert.deepEqual(readFileSync(again), readFileSync(tarPath));
    } finally {
      rmSync(path.dirname(again), { recursive: true, force: true });
    }
    const listing = execFileSync('tar', ['-tf', tarPath], { encoding: 'utf8' }).split('\n');
    assert.ok(listing.includes('oci-layout') && listing.includes('index.json'));
    const index = JSON.parse(execFileSync('tar', ['-xOf', tarPath, 'index.json'], { encoding: 'utf8' }));
    const names = index.manifests.map((m: { annotations: Record<string, string> }) => m.annotations['org.opencontainers.image.ref.name']);
    assert.deepEqual(names, ['docker.io/library/busybox:1.35', 'docker.io/library/busybox:latest']);
  });

  it('loads the OCI layout: refs, config, unpacked layer', async () => {
    const store = new ImageStore(path.join(work, 'data1'));
    const refs = await store.load(tarPath);
    assert.deepEqual(refs.sort(), ['docker.io/library/busybox:1.35', 'docker.io/library/busybox:latest']);
    const list = store.list();
    assert.equal(list.length, 1);
    assert.deepEqual(list[0]!.refs, ['docker.io/library/busybox:1.35', 'docker.io/library/busybox:latest']);
    assert.ok(list[0]!.repoDigests.includes(`docker.io/library/busybox@${list[0]!.digest}`));

    const img = store.resolve('busybox:1.35');
    assert.ok(img);
    assert.equal(store.resolve('busybox')?.digest, img.digest);
    assert.equal(store.resolve('docker.io/library/busybox:latest')?.digest, img.digest);
    assert.equal(store.resolve(img.id)?.digest, img.digest);
    assert.equal(store.resolve(img.id.slice(7, 19))?.digest, img.digest);
    assert.equal(store.resolve(`busybox@${img.digest}`)?.digest, img.digest);
    assert.equal(store.resolve('busybox:9.99'), undefined);
    assert.equal(store.resolve('other'), undefined);

    // The manifest digest is the sha256 of the stored manifest blob, and the image ID of the config blob.
    assert.equal(sha(store.readBlob(img.digest)), img.digest);
    assert.equal(sha(store.readBlob(img.id)), img.id);

    const cfg = store.config(img);
    assert.deepEqual(cfg.Cmd, ['sh']);
    assert.ok(cfg.Env?.some((e) => e.startsWith('PATH=') && e.includes('/bin')));
    assert.equal(store.configFile(img).os, 'linux');

    const layers = store.layersFor(img);
    assert.equal(layers.length, 1);
    const root = layers[0]!;
    assert.ok(lstatSync(path.join(root, 'bin/busybox')).isFile());
    for (const applet of ['sh', 'sleep', 'tar', 'wget', 'nc', 'httpd', 'hostname', 'env', 'true']) {
      assert.equal(readlinkSync(path.join(root, 'bin', applet)), 'busybox', applet);
    }
    assert.match(readFileSync(path.join(root, 'etc/passwd'), 'utf8'), /^root:x:0:0:/m);
    assert.match(readFileSync(path.join(root, 'etc/group'), 'utf8'), /^nobody:x:65534:/m);
    assert.equal(lstatSync(path.join(root, 'tmp')).mode & 0o7777, 0o1777);
    // The unpacked busybox really runs.
    const out = execFileSync(path.join(root, 'bin/busybox'), ['echo', 'hello'], { encoding: 'utf8' });
    assert.equal(out.trim(), 'hello');

    // Loading again changes nothing; another store instance on the same dir sees the same index.
    await store.load(tarPath);
    const other = new ImageStore(path.join(work, 'data1'));
    assert.equal(other.list().length, 1);
    assert.equal(other.resolve('busybox:1.35')?.digest, img.digest);
  });

  it('stays consistent when two store instances load at the same time', async () => {
    const data = path.join(work, 'data-concurrent');
    const a = new ImageStore(data);
    const b = new ImageStore(data);
    const [ra, rb] = await Promise.all([a.load(tarPath), b.load(tarPath)]);
    assert.deepEqual(ra.sort(), rb.sort());
    a.tag('k8ts.local/a:1', 'busybox');
    b.tag('k8ts.local/b:1', 'busybox');
    for (const s of [a, b]) {
      assert.equal(s.list().length, 1);
      assert.deepEqual(s.list()[0]!.refs, ['docker.io/library/busybox:1.35', 'docker.io/library/busybox:latest', 'k8ts.local/a:1', 'k8ts.local/b:1']);
    }
    assert.deepEqual(readdirSync(path.join(data, 'images/tmp')), []);
    assert.equal(readdirSync(path.join(data, 'images/layers')).length, 1);
  });

  it('untags, removes and garbage-collects', async () => {
    const data = path.join(work, 'data2');
    const store = new ImageStore(data, { gcGraceMs: 0 });
    await store.load(tarPath);
    const img = store.resolve('busybox:1.35')!;
    assert.deepEqual(store.remove('busybox:1.35'), { untagged: ['docker.io/library/busybox:1.35'], deleted: [] });
    assert.ok(store.resolve('busybox:latest'));
    assert.ok(existsSync(store.layersFor(img)[0]!));
    store.tag('k8ts.local/mine:v1', 'busybox');
    assert.equal(store.resolve('k8ts.local/mine:v1')?.digest, img.digest);
    const res = store.remove(img.id);
    assert.deepEqual(res.deleted, [img.id]);
    assert.deepEqual(res.untagged.sort(), ['docker.io/library/busybox:latest', 'k8ts.local/mine:v1']);
    assert.equal(store.list().length, 0);
    assert.deepEqual(readdirSync(path.join(data, 'images/blobs/sha256')), []);
    assert.deepEqual(readdirSync(path.join(data, 'images/layers')), []);
    assert.throws(
      () => store.remove('busybox'),
      (e: Error & { kind?: string }) => e.kind === 'NotFound',
    );
  });

  it('loads a docker-archive (uncompressed layers, RepoTags)', async () => {
    const dockerTar = path.join(work, 'busybox.docker.tar');
    execFileSync('skopeo', ['copy', '--quiet', `oci-archive:${tarPath}:docker.io/library/busybox:1.35`, `docker-archive:${dockerTar}:k8ts.local/bb:dock`]);
    const store = new ImageStore(path.join(work, 'data3'));
    const refs = await store.load(dockerTar);
    assert.deepEqual(refs, ['k8ts.local/bb:dock']);
    const img = store.resolve('k8ts.local/bb:dock')!;
    assert.deepEqual(store.config(img).Cmd, ['sh']);
    assert.equal(readlinkSync(path.join(store.layersFor(img)[0]!, 'bin/sh')), 'busybox');
  });

  it('rejects an archive whose blob does not match its digest, storing no image', async () => {
    const dir = path.join(work, 'corrupt');
    mkdirSync(dir);
    execFileSync('tar', ['-xf', tarPath, '-C', dir]);
    const cfgName = readdirSync(path.join(dir, 'blobs/sha256')).find(
      (n) => readFileSync(path.join(dir, 'blobs/sha256', n)).length < 1000 && readFileSync(path.join(dir, 'blobs/sha256', n), 'utf8').includes('diff_ids'),
    )!;
    const p = path.join(dir, 'blobs/sha256', cfgName);
    writeFileSync(p, readFileSync(p, 'utf8').replace('"Cmd":["sh"]', '"Cmd":["ls"]'));
    const bad = path.join(work, 'corrupt.tar');
    execFileSync('tar', ['-cf', bad, '-C', dir, 'oci-layout', 'index.json', 'blobs']);
    const store = new ImageStore(path.join(work, 'data4'));
    await assert.rejects(store.load(bad), (e: Error & { kind?: string }) => e.kind === 'DigestMismatch');
    assert.equal(store.list().length, 0);
  });
});

describe('layer whiteouts for overlayfs', () => {
  let work: string;
  const mounted: string[] = [];
  before(() => {
    work = tempDir('whiteout');
  });
  after(() => {
    for (const m of mounted) spawnSync('umount', [m]);
    rmSync(work, { recursive: true, force: true });
  });

  /** Makes an OCI layout with two layers (the second deleting a/x and making d/ opaque) and returns the tar. */
  function twoLayerImage(): string {
    const l1 = path.join(work, 'l1');
    const l2 = path.join(work, 'l2');
    mkdirSync(path.join(l1, 'a'), { recursive: true });
    mkdirSync(path.join(l1, 'd'), { recursive: true });
    writeFileSync(path.join(l1, 'a/x'), 'x');
    writeFileSync(path.join(l1, 'a/y'), 'y');
    writeFileSync(path.join(l1, 'd/keep'), 'old');
    mkdirSync(path.join(l2, 'a'), { recursive: true });
    mkdirSync(path.join(l2, 'd'), { recursive: true });
    writeFileSync(path.join(l2, 'a/.wh.x'), '');
    writeFileSync(path.join(l2, 'd/.wh..wh..opq'), '');
    writeFileSync(path.join(l2, 'd/new'), 'new');
    const layout = path.join(work, 'layout');
    mkdirSync(path.join(layout, 'blobs/sha256'), { recursive: true });
    const put = (b: Buffer) => {
      const d = sha(b);
      writeFileSync(path.join(layout, 'blobs/sha256', d.slice(7)), b);
      return { digest: d, size: b.length };
    };
    const layerTar = (dir: string, gzip: boolean) => {
      const raw = execFileSync('tar', ['--sort=name', '--owner=0', '--group=0', '-cf', '-', '-C', dir, 'a', 'd']);
      const blob = gzip ? execFileSync('gzip', ['-n', '-c'], { input: raw }) : raw;
      return { raw, blob };
    };
    const t1 = layerTar(l1, true);
    const t2 = layerTar(l2, false);
    const b1 = put(t1.blob);
    const b2 = put(t2.blob);
    const config = put(
      Buffer.from(
        JSON.stringify({ architecture: 'amd64', os: 'linux', config: { Cmd: ['/a/y'] }, rootfs: { type: 'layers', diff_ids: [sha(t1.raw), sha(t2.raw)] } }),
      ),
    );
    const manifest = put(
      Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
          layers: [
            { mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', ...b1 },
            { mediaType: 'application/vnd.oci.image.layer.v1.tar', ...b2 },
          ],
        }),
      ),
    );
    writeFileSync(path.join(layout, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
    writeFileSync(
      path.join(layout, 'index.json'),
      JSON.stringify({
        schemaVersion: 2,
        manifests: [
          { mediaType: 'application/vnd.oci.image.manifest.v1+json', ...manifest, annotations: { 'org.opencontainers.image.ref.name': 'k8ts.local/wh:1' } },
        ],
      }),
    );
    const out = path.join(work, 'wh.tar');
    execFileSync('tar', ['-cf', out, '-C', layout, 'oci-layout', 'index.json', 'blobs']);
    return out;
  }

  it('converts .wh. files and opaque dirs so an overlay mount hides lower content', async () => {
    const store = new ImageStore(path.join(work, 'data'));
    assert.deepEqual(await store.load(twoLayerImage()), ['k8ts.local/wh:1']);
    const img = store.resolve('k8ts.local/wh:1')!;
    const [top, bottom] = store.layersFor(img);
    assert.ok(top && bottom);
    assert.ok(await isOverlayWhiteout(path.join(top, 'a/x')));
    assert.ok(!existsSync(path.join(top, 'a/.wh.x')));
    assert.ok(!existsSync(path.join(top, 'd/.wh..wh..opq')));
    assert.ok(existsSync(path.join(bottom, 'a/x')));

    const merged = path.join(work, 'k8ts-merged');
    mkdirSync(merged);
    const r = spawnSync('mount', ['-t', 'overlay', 'k8ts-overlay', '-o', `lowerdir=${top}:${bottom}`, merged]);
    assert.equal(r.status, 0, r.stderr?.toString());
    mounted.push(merged);
    assert.deepEqual(readdirSync(path.join(merged, 'a')).sort(), ['y']);
    assert.deepEqual(readdirSync(path.join(merged, 'd')).sort(), ['new']);
  });
});
