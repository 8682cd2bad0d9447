// Content-addressed OCI image store under <dataDir>/images/: blobs by sha256, an index of references → manifest
// digests, and layers unpacked once each (by DiffID) for overlayfs. Safe for concurrent use by several processes:
// files appear by tmp+rename, index updates happen under a file lock, and readers reread the index when it changes.
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { copyFile, mkdtemp, rename, rm, utimes } from 'node:fs/promises';
import path from 'node:path';
import { digestHex, isSha256Digest, sha256Digest, sha256File } from './digest.js';
import { ImageError } from './errors.js';
import { withFileLock } from './lock.js';
import { unpackLayer } from './unpack.js';
import { loadImageArchive } from './load.js';
import { pullImage, type PullOptions } from './pull.js';
import { documentMediaType, isManifestMediaType, type ImageConfig, type ImageConfigFile, type ImageManifest } from './oci.js';
import { normalizeImageReference, parseImageReference, withDefaultTag, formatReference } from './reference.js';
import type { ImageContentStore, ImageRecord, ImageSummary, RemoveResult, StoredLayer } from './store_types.js';
import type { ImageService } from '../cri.js';

export type { ImageContentStore, ImageRecord, ImageSummary, RemoveResult, StoredLayer } from './store_types.js';

export interface ImageStoreOptions {
  /** Unreferenced blobs/layers younger than this are kept by garbage collection (another process may be using them). */
  gcGraceMs?: number;
}

type StoredImage = Omit<ImageRecord, 'refs'>;
interface IndexFile {
  version: 1;
  images: Record<string, StoredImage>;
  refs: Record<string, string>;
}

const emptyIndex = (): IndexFile => ({ version: 1, images: {}, refs: {} });

export class ImageStore implements ImageContentStore, ImageService {
  readonly root: string;
  private readonly blobsDir: string;
  private readonly layersDir: string;
  private readonly tmpRoot: string;
  private readonly indexPath: string;
  private readonly lockPath: string;
  private readonly gcGraceMs: number;
  private cached?: { key: string; index: IndexFile };
  private readonly configCache = new Map<string, ImageConfigFile>();

  constructor(dataDir: string, opts: ImageStoreOptions = {}) {
    this.root = path.join(dataDir, 'images');
    this.blobsDir = path.join(this.root, 'blobs', 'sha256');
    this.layersDir = path.join(this.root, 'layers');
    this.tmpRoot = path.join(this.root, 'tmp');
    this.indexPath = path.join(this.root, 'index.json');
    this.lockPath = path.join(this.root, 'index.lock');
    this.gcGraceMs = opts.gcGraceMs ?? 10 * 60_000;
    for (const d of [this.blobsDir, this.layersDir, this.tmpRoot]) mkdirSync(d, { recursive: true });
  }

  // ---- index -------------------------------------------------------------------------------------------------

  /** Current index, reread whenever the file was replaced (by this or another process). */
  private readIndex(): IndexFile {
    let key: string;
    try {
      const st = statSync(this.indexPath);
      key = `${st.ino}:${st.mtimeMs}:${st.size}`;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return emptyIndex();
      throw e;
    }
    if (this.cached?.key === key) return this.cached.index;
    const index = JSON.parse(readFileSync(this.indexPath, 'utf8')) as IndexFile;
    this.cached = { key, index };
    return index;
  }

  private writeIndex(index: IndexFile): void {
    const tmp = `${this.indexPath}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(index, null, 1));
    renameSync(tmp, this.indexPath);
    this.cached = undefined;
  }

  /** Read-modify-write of the index under the cross-process lock. */
  private updateIndex<T>(fn: (index: IndexFile) => T): T {
    return withFileLock(this.lockPath, () => {
      this.cached = undefined;
      const index = structuredClone(this.readIndex());
      const result = fn(index);
      this.writeIndex(index);
      return result;
    });
  }

  private record(index: IndexFile, img: StoredImage): ImageRecord {
    const refs = Object.keys(index.refs)
      .filter((r) => index.refs[r] === img.digest)
      .sort();
    return { ...img, refs };
  }

  // ---- blobs -------------------------------------------------------------------------------------------------

  blobPath(digest: string): string {
    return path.join(this.blobsDir, digestHex(digest));
  }

  hasBlob(digest: string): boolean {
    return isSha256Digest(digest) && existsSync(this.blobPath(digest));
  }

  readBlob(digest: string): Buffer {
    return readFileSync(this.blobPath(digest));
  }

  /** A fresh private directory on the store's filesystem (so results can be renamed into place). */
  async makeTempDir(prefix = 'work-'): Promise<string> {
    return mkdtemp(path.join(this.tmpRoot, prefix));
  }

  /** Stores bytes as a blob; verifies them against `expected` when given. Returns the digest. */
  putBlob(data: Buffer, expected?: string): string {
    const digest = sha256Digest(data);
    if (expected && expected !== digest) throw new ImageError('DigestMismatch', `blob digest mismatch: expected ${expected}, got ${digest}`);
    const dest = this.blobPath(digest);
    if (existsSync(dest)) {
      touchSync(dest);
      return digest;
    }
    const tmp = path.join(this.tmpRoot, `blob-${process.pid}-${digestHex(digest).slice(0, 16)}-${Math.random().toString(36).slice(2)}`);
    writeFileSync(tmp, data);
    renameSync(tmp, dest);
    return digest;
  }

  /**
   * Stores a file as a blob after hashing it; verifies against `expected` (and `expectedSize`) when given.
   * `move: true` renames the file in (it must be on the store's filesystem, e.g. under makeTempDir()).
   */
  async putBlobFile(file: string, expected?: string, opts: { move?: boolean; expectedSize?: number } = {}): Promise<{ digest: string; size: number }> {
    const { digest, size } = await sha256File(file);
    if (expected && expected !== digest) throw new ImageError('DigestMismatch', `blob digest mismatch: expected ${expected}, got ${digest}`);
    if (opts.expectedSize !== undefined && opts.expectedSize !== size) {
      throw new ImageError('DigestMismatch', `blob ${digest} size mismatch: expected ${opts.expectedSize}, got ${size}`);
    }
    const dest = this.blobPath(digest);
    if (existsSync(dest)) {
      const now = new Date();
      await utimes(dest, now, now);
      if (opts.move) await rm(file, { force: true });
      return { digest, size };
    }
    const tmp = path.join(this.tmpRoot, `blob-${process.pid}-${digestHex(digest).slice(0, 16)}-${Math.random().toString(36).slice(2)}`);
    if (opts.move) await rename(file, tmp);
    else await copyFile(file, tmp);
    await rename(tmp, dest);
    return { digest, size };
  }

  // ---- images ------------------------------------------------------------------------------------------------

  /**
   * Records the image whose manifest blob is `manifestDigest` (manifest, config and layer blobs must already be
   * stored), unpacks its layers, and points each reference at it. References are normalized (":latest" default).
   */
  async commitImage(manifestDigest: string, refs: string[], opts: { repoDigests?: string[] } = {}): Promise<ImageRecord> {
    if (!this.hasBlob(manifestDigest)) throw new ImageError('Invalid', `manifest ${manifestDigest} is not in the store`);
    const manifest = JSON.parse(this.readBlob(manifestDigest).toString('utf8')) as ImageManifest;
    const mediaType = documentMediaType(manifest) ?? '';
    if (!isManifestMediaType(mediaType)) throw new ImageError('Unsupported', `${manifestDigest}: unsupported manifest media type "${mediaType}"`);
    if (!manifest.config || !Array.isArray(manifest.layers)) throw new ImageError('Invalid', `${manifestDigest}: malformed manifest`);
    for (const d of [manifest.config, ...manifest.layers]) {
      if (!this.hasBlob(d.digest)) throw new ImageError('Invalid', `${manifestDigest}: blob ${d.digest} is missing`);
    }
    const cfg = this.readConfigBlob(manifest.config.digest);
    const diffIDs = cfg.rootfs?.diff_ids ?? [];
    if (diffIDs.length !== manifest.layers.length) {
      throw new ImageError('Invalid', `${manifestDigest}: config has ${diffIDs.length} diff_ids but manifest has ${manifest.layers.length} layers`);
    }
    const layers: StoredLayer[] = manifest.layers.map((l, i) => ({ digest: l.digest, diffID: diffIDs[i]!, size: l.size, mediaType: l.mediaType }));
    for (const l of layers) await this.ensureLayer(l);

    const normalized = refs.map((r) => normalizeImageReference(r));
    const stored: StoredImage = {
      id: manifest.config.digest,
      digest: manifestDigest,
      mediaType,
      configDigest: manifest.config.digest,
      layers,
      repoDigests: [],
      size: manifest.config.size + layers.reduce((n, l) => n + l.size, 0),
      created: cfg.created,
      addedAt: new Date().toISOString(),
    };
    return this.updateIndex((index) => {
      const prev = index.images[manifestDigest];
      const repoDigests = new Set([...(prev?.repoDigests ?? []), ...(opts.repoDigests ?? [])]);
      // Loaded images are known by their manifest digest; pulls pass the registry's (possibly index) digest.
      if (!opts.repoDigests) {
        for (const r of normalized) if (!r.includes('@')) repoDigests.add(`${parseImageReference(r).name}@${manifestDigest}`);
      }
      index.images[manifestDigest] = { ...stored, addedAt: prev?.addedAt ?? stored.addedAt, repoDigests: [...repoDigests].sort() };
      for (const r of normalized) if (!r.includes('@')) index.refs[r] = manifestDigest;
      return this.record(index, index.images[manifestDigest]!);
    });
  }

  /** Unpacks a layer into layers/<diffID hex>/ unless already there. */
  private async ensureLayer(layer: StoredLayer): Promise<void> {
    const dest = path.join(this.layersDir, digestHex(layer.diffID));
    try {
      const now = new Date();
      await utimes(dest, now, now);
      return;
    } catch {
      /* not unpacked yet */
    }
    const tmp = await this.makeTempDir('layer-');
    try {
      await unpackLayer(this.blobPath(layer.digest), tmp, layer.diffID);
      try {
        await rename(tmp, dest);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code !== 'EEXIST' && code !== 'ENOTEMPTY') throw e; // another process unpacked it first
      }
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  }

  /** Points `ref` at an existing image (like `docker tag`). */
  tag(ref: string, image: ImageRecord | string): ImageRecord {
    const img = typeof image === 'string' ? this.resolve(image) : image;
    if (!img) throw new ImageError('NotFound', `image "${String(image)}" not found`);
    const r = normalizeImageReference(ref);
    if (r.includes('@')) throw new ImageError('InvalidImageName', `cannot tag with a digest reference "${ref}"`);
    return this.updateIndex((index) => {
      if (!index.images[img.digest]) throw new ImageError('NotFound', `image "${img.digest}" not found`);
      index.refs[r] = img.digest;
      return this.record(index, index.images[img.digest]!);
    });
  }

  list(): ImageSummary[] {
    const index = this.readIndex();
    return Object.values(index.images)
      .map((img) => this.record(index, img))
      .map(({ refs, repoDigests, id, digest, size, created }) => ({ refs, repoDigests, id, digest, size, created }))
      .sort((a, b) => (a.refs[0] ?? a.digest).localeCompare(b.refs[0] ?? b.digest));
  }

  /**
   * Finds an image by reference ("busybox", "busybox:1.35", "name@sha256:…"), by image ID or manifest digest
   * ("sha256:…"), or by a unique hex prefix (≥ 12 chars) of either.
   */
  resolve(ref: string): ImageRecord | undefined {
    const index = this.readIndex();
    const found = this.lookup(index, ref);
    return found ? this.record(index, found.image) : undefined;
  }

  private lookup(index: IndexFile, ref: string): { image: StoredImage; via: 'ref' | 'id'; ref?: string } | undefined {
    const byDigest = (d: string): StoredImage | undefined => index.images[d] ?? Object.values(index.images).find((i) => i.id === d);
    if (isSha256Digest(ref)) {
      const image = byDigest(ref);
      return image && { image, via: 'id' };
    }
    let parsed;
    try {
      parsed = withDefaultTag(parseImageReference(ref));
    } catch {
      parsed = undefined;
    }
    if (parsed?.digest) {
      const exact = `${parsed.name}@${parsed.digest}`;
      const viaRepoDigest = Object.values(index.images).find((i) => i.repoDigests.includes(exact));
      if (viaRepoDigest) return { image: viaRepoDigest, via: 'id' };
      const image = byDigest(parsed.digest);
      if (
        image &&
        (image.repoDigests.some((rd) => rd.startsWith(parsed.name + '@')) || this.record(index, image).refs.some((r) => r.startsWith(parsed.name + ':')))
      ) {
        return { image, via: 'id' };
      }
    } else if (parsed) {
      const key = formatReference(parsed);
      const d = index.refs[key];
      if (d && index.images[d]) return { image: index.images[d]!, via: 'ref', ref: key };
    }
    const hex = ref.startsWith('sha256:') ? ref.slice(7) : ref;
    if (/^[a-f0-9]{12,64}$/.test(hex)) {
      const matches = Object.values(index.images).filter((i) => i.id.slice(7).startsWith(hex) || i.digest.slice(7).startsWith(hex));
      if (matches.length === 1) return { image: matches[0]!, via: 'id' };
    }
    return undefined;
  }

  /**
   * Removes a reference (the image goes when its last reference does), or by ID/digest the image with all its
   * references. Unreferenced blobs and unpacked layers are then garbage-collected. Throws NotFound if nothing matches.
   * The caller (kubelet image GC) must not remove images that running containers use.
   */
  remove(ref: string): RemoveResult {
    const result = this.updateIndex((index): RemoveResult => {
      const found = this.lookup(index, ref);
      if (!found) throw new ImageError('NotFound', `image "${ref}" not found`);
      const out: RemoveResult = { untagged: [], deleted: [] };
      const digest = found.image.digest;
      if (found.via === 'ref') {
        delete index.refs[found.ref!];
        out.untagged.push(found.ref!);
        if (Object.values(index.refs).includes(digest)) return out;
      } else {
        for (const [r, d] of Object.entries(index.refs)) {
          if (d === digest) {
            delete index.refs[r];
            out.untagged.push(r);
          }
        }
      }
      delete index.images[digest];
      out.deleted.push(found.image.id);
      return out;
    });
    if (result.deleted.length) this.gc();
    return result;
  }

  /** Deletes blobs and unpacked layers no image in the index uses (older than the grace period). */
  gc(): { blobs: number; layers: number } {
    return withFileLock(this.lockPath, () => {
      this.cached = undefined;
      const index = this.readIndex();
      const blobs = new Set<string>();
      const layers = new Set<string>();
      for (const img of Object.values(index.images)) {
        blobs.add(digestHex(img.digest));
        blobs.add(digestHex(img.configDigest));
        for (const l of img.layers) {
          blobs.add(digestHex(l.digest));
          layers.add(digestHex(l.diffID));
        }
        for (const rd of img.repoDigests) {
          const d = rd.slice(rd.indexOf('@') + 1);
          if (isSha256Digest(d)) blobs.add(digestHex(d)); // top-level index blobs of pulled images
        }
      }
      const cutoff = Date.now() - this.gcGraceMs;
      let nb = 0;
      let nl = 0;
      for (const name of readdirSync(this.blobsDir)) {
        if (blobs.has(name)) continue;
        const p = path.join(this.blobsDir, name);
        if (statSync(p).mtimeMs > cutoff) continue;
        rmSync(p, { force: true });
        nb++;
      }
      for (const name of readdirSync(this.layersDir)) {
        if (layers.has(name)) continue;
        const p = path.join(this.layersDir, name);
        if (statSync(p).mtimeMs > cutoff) continue;
        rmSync(p, { recursive: true, force: true });
        nl++;
      }
      // Work dirs left behind by processes that died mid-load/pull.
      const tmpCutoff = Date.now() - Math.max(this.gcGraceMs, 60 * 60_000);
      for (const name of readdirSync(this.tmpRoot)) {
        const p = path.join(this.tmpRoot, name);
        if (statSync(p).mtimeMs <= tmpCutoff) rmSync(p, { recursive: true, force: true });
      }
      return { blobs: nb, layers: nl };
    });
  }

  // ---- accessors for the runtime ------------------------------------------------------------------------------

  /** Unpacked layer directories, top-most first (the order overlayfs lowerdir= wants). */
  layersFor(image: ImageRecord): string[] {
    const dirs = image.layers.map((l) => path.join(this.layersDir, digestHex(l.diffID)));
    for (const d of dirs) {
      if (!existsSync(d)) throw new ImageError('Invalid', `layer ${path.basename(d)} of image ${image.id} is not unpacked`);
    }
    return dirs.reverse();
  }

  /** The whole config blob of the image. */
  configFile(image: ImageRecord): ImageConfigFile {
    return this.readConfigBlob(image.configDigest);
  }

  /** The runtime config: Entrypoint, Cmd, Env, WorkingDir, User, StopSignal, ExposedPorts, ... */
  config(image: ImageRecord): ImageConfig {
    return this.configFile(image).config ?? {};
  }

  private readConfigBlob(digest: string): ImageConfigFile {
    const hit = this.configCache.get(digest);
    if (hit) return hit;
    const cfg = JSON.parse(this.readBlob(digest).toString('utf8')) as ImageConfigFile;
    this.configCache.set(digest, cfg);
    return cfg;
  }

  // ---- convenience entry points ---------------------------------------------------------------------------------

  /** Loads a docker-archive or OCI-layout tar (see load.ts); returns the references it now holds. */
  async load(tarPath: string): Promise<string[]> {
    return loadImageArchive(this, tarPath);
  }

  /** Pulls from a registry (see pull.ts). */
  async pull(ref: string, opts: PullOptions = {}): Promise<ImageRecord> {
    return pullImage(this, ref, opts);
  }

  // ---- the CRI ImageService verbs (runtime/cri.ts) --------------------------------------------------------------

  imageStatus(ref: string): ImageRecord | undefined {
    return this.resolve(ref);
  }

  pullImage(ref: string, opts: PullOptions = {}): Promise<ImageRecord> {
    return this.pull(ref, opts);
  }

  listImages(): ImageSummary[] {
    return this.list();
  }

  removeImage(ref: string): RemoveResult {
    return this.remove(ref);
  }
}

function touchSync(p: string): void {
  const now = new Date();
  try {
    utimesSync(p, now, now);
  } catch {
    /* best effort */
  }
}
