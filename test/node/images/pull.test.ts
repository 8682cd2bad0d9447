// Pull tests: pushes the busybox image into Debian's docker-registry (started here on a free 127.0.0.1 port) with
// skopeo and pulls it back with our client; a fake token-auth registry in this file covers bearer auth, manifest
// lists / platform choice, and a corrupted blob. Needs root, docker-registry, skopeo, busybox-static.
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ImageError } from '../../../src/runtime/images/errors.js';
import { hostPlatform } from '../../../src/runtime/images/oci.js';
import type { PullProgress } from '../../../src/runtime/images/pull.js';
import { ImageStore } from '../../../src/runtime/images/store.js';
import { buildBusybox, freePort, tempDir } from './helpers.js';

const sha = (b: Buffer | string) => 'sha256:' + createHash('sha256').update(b).digest('hex');
const isKind = (kind: string) => (e: unknown) => e instanceof ImageError && e.kind === kind && e.reason === 'ErrImagePull';

async function waitFor(url: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const r = await fetch(url);
      await r.body?.cancel();
      if (r.status === 200) return;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) throw new Error(`${url} did not come up`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

let work: string;
let tarPath: string;
before(() => {
  work = tempDir('pull');
  tarPath = buildBusybox(work);
});
after(() => rmSync(work, { recursive: true, force: true }));

describe('pull from docker-registry', () => {
  let registry: ChildProcess | undefined;
  let host: string;
  let pushedDigest: string;

  before(async () => {
    const port = await freePort();
    host = `127.0.0.1:${port}`;
    const storage = path.join(work, 'registry');
    mkdirSync(storage);
    const config = path.join(work, 'registry.yml');
    writeFileSync(
      config,
      `version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: ${storage}\n  delete:\n    enabled: true\nhttp:\n  addr: ${host}\n`,
    );
    registry = spawn('/usr/bin/docker-registry', ['serve', config], { stdio: 'ignore' });
    await waitFor(`http://${host}/v2/`);
    execFileSync('skopeo', [
      'copy',
      '--quiet',
      '--dest-tls-verify=false',
      `oci-archive:${tarPath}:docker.io/library/busybox:1.35`,
      `docker://${host}/busybox:1.35`,
    ]);
    pushedDigest = execFileSync('skopeo', ['inspect', '--tls-verify=false', '--format', '{{.Digest}}', `docker://${host}/busybox:1.35`], {
      encoding: 'utf8',
    }).trim();
  });
  after(() => {
    if (registry?.pid) process.kill(registry.pid, 'SIGTERM');
  });

  it('pulls by tag, verifying digests, and unpacks the layer', async () => {
    const store = new ImageStore(path.join(work, 'data1'));
    const progress: PullProgress[] = [];
    const img = await store.pull(`${host}/busybox:1.35`, { onProgress: (p) => progress.push(p) });
    assert.equal(img.digest, pushedDigest);
    assert.deepEqual(img.refs, [`${host}/busybox:1.35`]);
    assert.deepEqual(img.repoDigests, [`${host}/busybox@${pushedDigest}`]);
    assert.equal(sha(store.readBlob(img.digest)), img.digest);
    assert.deepEqual(store.config(img).Cmd, ['sh']);
    assert.equal(readlinkSync(path.join(store.layersFor(img)[0]!, 'bin/sh')), 'busybox');
    const layer = img.layers[0]!;
    const last = progress.filter((p) => p.digest === layer.digest).at(-1);
    assert.deepEqual(last && { done: last.done, total: last.total, phase: last.phase }, { done: layer.size, total: layer.size, phase: 'complete' });

    // A second pull downloads nothing.
    const again: PullProgress[] = [];
    await store.pull(`${host}/busybox:1.35`, { onProgress: (p) => again.push(p) });
    assert.ok(again.length > 0 && again.every((p) => p.phase === 'exists'));
  });

  it('pulls by digest', async () => {
    const store = new ImageStore(path.join(work, 'data2'));
    const img = await store.pull(`${host}/busybox@${pushedDigest}`);
    assert.equal(img.digest, pushedDigest);
    assert.deepEqual(img.refs, []);
    assert.equal(store.resolve(`${host}/busybox@${pushedDigest}`)?.digest, pushedDigest);
  });

  it('reports a missing image as NotFound', async () => {
    const store = new ImageStore(path.join(work, 'data3'));
    await assert.rejects(store.pull(`${host}/nope:1`), isKind('NotFound'));
    await assert.rejects(store.pull(`${host}/busybox:9.99`), isKind('NotFound'));
    assert.equal(store.list().length, 0);
  });

  it('reports an unreachable registry as Network', async () => {
    const port = await freePort();
    const store = new ImageStore(path.join(work, 'data4'));
    await assert.rejects(store.pull(`127.0.0.1:${port}/busybox:1.35`), isKind('Network'));
  });

  it('rejects invalid names before any request', async () => {
    const store = new ImageStore(path.join(work, 'data5'));
    await assert.rejects(store.pull('Bad Name'), (e: unknown) => e instanceof ImageError && e.reason === 'InvalidImageName');
  });
});

describe('pull from a fake token-auth registry', () => {
  let server: Server;
  let host: string;
  const blobs = new Map<string, Buffer>();
  let manifestDigest: string;
  let indexDigest: string;
  let layerDigest: string;

  before(async () => {
    const layout = path.join(work, 'layout');
    mkdirSync(layout);
    execFileSync('tar', ['-xf', tarPath, '-C', layout]);
    for (const n of readdirSync(path.join(layout, 'blobs/sha256'))) blobs.set('sha256:' + n, readFileSync(path.join(layout, 'blobs/sha256', n)));
    const ociIndex = JSON.parse(readFileSync(path.join(layout, 'index.json'), 'utf8'));
    manifestDigest = ociIndex.manifests[0].digest;
    layerDigest = JSON.parse(blobs.get(manifestDigest)!.toString()).layers[0].digest;
    const other = hostPlatform().architecture === 'arm64' ? 'amd64' : 'arm64';
    const list = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.docker.distribution.manifest.list.v2+json',
        manifests: [
          {
            mediaType: 'application/vnd.oci.image.manifest.v1+json',
            digest: 'sha256:' + 'f'.repeat(64),
            size: 10,
            platform: { os: 'linux', architecture: other },
          },
          {
            mediaType: 'application/vnd.oci.image.manifest.v1+json',
            digest: manifestDigest,
            size: blobs.get(manifestDigest)!.length,
            platform: hostPlatform(),
          },
        ],
      }),
    );
    indexDigest = sha(list);

    const port = await freePort();
    host = `127.0.0.1:${port}`;
    server = createServer((req, res) => {
      const url = new URL(req.url!, `http://${host}`);
      if (url.pathname === '/token') {
        const want = 'Basic ' + Buffer.from('alice:s3cret').toString('base64');
        if (
          req.headers.authorization !== want ||
          url.searchParams.get('service') !== 'fake' ||
          !/^repository:.+:pull$/.test(url.searchParams.get('scope') ?? '')
        ) {
          res.writeHead(401).end();
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token: 'tok-' + url.searchParams.get('scope') }));
        return;
      }
      const m = /^\/v2\/(.+)\/(manifests|blobs)\/([^/]+)$/.exec(url.pathname);
      if (!m) {
        res.writeHead(404).end();
        return;
      }
      const [, name, kind, ref] = m as unknown as [string, string, string, string];
      if (req.headers.authorization !== `Bearer tok-repository:${name}:pull`) {
        res.writeHead(401, { 'www-authenticate': `Bearer realm="http://${host}/token",service="fake",scope="repository:${name}:pull"` }).end();
        return;
      }
      if (kind === 'manifests') {
        const body = ref === 'multi' ? list : blobs.get(ref);
        if (!body) {
          res
            .writeHead(404, { 'content-type': 'application/json' })
            .end(JSON.stringify({ errors: [{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown' }] }));
          return;
        }
        const ct = ref === 'multi' ? 'application/vnd.docker.distribution.manifest.list.v2+json' : 'application/vnd.oci.image.manifest.v1+json';
        res.writeHead(200, { 'content-type': ct, 'docker-content-digest': sha(body) }).end(body);
        return;
      }
      let blob = blobs.get(ref);
      if (!blob) {
        res.writeHead(404).end();
        return;
      }
      if (name === 'corrupt' && ref === layerDigest) {
        blob = Buffer.from(blob);
        blob[blob.length - 100] ^= 0xff; // same size, wrong content
      }
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': blob.length }).end(blob);
    });
    await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  const auths = (u: string, p: string) => ({ auths: { [`http://127.0.0.1:${host.split(':')[1]}`]: { auth: Buffer.from(`${u}:${p}`).toString('base64') } } });

  it('fails with Unauthorized without or with wrong credentials', async () => {
    const store = new ImageStore(path.join(work, 'fake1'));
    await assert.rejects(store.pull(`${host}/library/busybox:multi`), isKind('Unauthorized'));
    await assert.rejects(store.pull(`${host}/library/busybox:multi`, { auths: auths('alice', 'wrong') }), isKind('Unauthorized'));
    assert.equal(store.list().length, 0);
  });

  it('gets a bearer token with dockerconfigjson credentials and picks the host platform from a manifest list', async () => {
    const store = new ImageStore(path.join(work, 'fake2'));
    const img = await store.pull(`${host}/library/busybox:multi`, { auths: [auths('bob', 'nope'), auths('alice', 's3cret')] });
    assert.equal(img.digest, manifestDigest);
    assert.deepEqual(img.repoDigests, [`${host}/library/busybox@${indexDigest}`]);
    assert.equal(store.resolve(`${host}/library/busybox@${indexDigest}`)?.digest, manifestDigest);
    assert.ok(store.hasBlob(indexDigest));
    assert.deepEqual(store.config(img).Cmd, ['sh']);
  });

  it('rejects a corrupted layer blob and stores nothing of it', async () => {
    const data = path.join(work, 'fake3');
    const store = new ImageStore(data);
    await assert.rejects(store.pull(`${host}/corrupt:multi`, { auths: auths('alice', 's3cret') }), isKind('DigestMismatch'));
    assert.equal(store.list().length, 0);
    assert.equal(store.hasBlob(layerDigest), false);
    assert.deepEqual(readdirSync(path.join(data, 'images/layers')), []);
    assert.deepEqual(readdirSync(path.join(data, 'images/tmp')), []);
  });
});
