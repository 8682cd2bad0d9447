// Loads image archives into the ImageStore: OCI image-layout tars (index.json + blobs/, names from ref.name
// annotations) and docker-archive tars (manifest.json + RepoTags, as `docker save` and skopeo write them).
import { existsSync } from 'node:fs';
import { open, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import * as tar from 'tar';
import { digestHex } from './digest.js';
import { ImageError } from './errors.js';
import {
  ANNOTATION_CONTAINERD_NAME,
  ANNOTATION_REF_NAME,
  MediaType,
  documentMediaType,
  hostPlatform,
  isIndexMediaType,
  isManifestMediaType,
  platformMatches,
  type Descriptor,
  type ImageIndex,
  type ImageManifest,
} from './oci.js';
import { isValidImageReference, normalizeImageReference } from './reference.js';
import type { ImageContentStore } from './store_types.js';

interface DockerArchiveEntry {
  Config: string;
  RepoTags?: string[] | null;
  Layers: string[];
}

async function readJSON<T>(file: string): Promise<T> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T;
  } catch (e) {
    throw new ImageError('Invalid', `reading ${path.basename(file)}: ${(e as Error).message}`, { cause: e });
  }
}

async function isGzip(file: string): Promise<boolean> {
  const fh = await open(file, 'r');
  try {
    const b = Buffer.alloc(2);
    const { bytesRead } = await fh.read(b, 0, 2, 0);
    return bytesRead === 2 && b[0] === 0x1f && b[1] === 0x8b;
  } finally {
    await fh.close();
  }
}

/** Resolves a path named inside the archive, refusing anything that leaves the extraction dir. */
function inside(root: string, rel: string): string {
  const p = path.resolve(root, rel);
  if (p !== root && !p.startsWith(root + path.sep)) throw new ImageError('Invalid', `archive path "${rel}" escapes the archive`);
  return p;
}

/** The name an OCI index entry carries: containerd's full name, else ref.name when it is a full reference. */
function refFromAnnotations(a: Record<string, string> | undefined): string | undefined {
  const full = a?.[ANNOTATION_CONTAINERD_NAME];
  if (full && isValidImageReference(full)) return normalizeImageReference(full);
  const name = a?.[ANNOTATION_REF_NAME];
  // A bare ref.name ("1.35") is only a tag: there is no repository to attach it to.
  if (name && /[/:@]/.test(name) && isValidImageReference(name)) return normalizeImageReference(name);
  return undefined;
}

async function importOCILayout(store: ImageContentStore, root: string): Promise<Map<string, Set<string>>> {
  const blobFile = (digest: string): string => inside(root, path.join('blobs', 'sha256', digestHex(digest)));
  const importBlob = async (d: Descriptor): Promise<void> => {
    if (store.hasBlob(d.digest)) return;
    const f = blobFile(d.digest);
    if (!existsSync(f)) throw new ImageError('Invalid', `blob ${d.digest} is missing from the archive`);
    await store.putBlobFile(f, d.digest, { expectedSize: d.size });
  };
  const index = await readJSON<ImageIndex>(path.join(root, 'index.json'));
  const images = new Map<string, Set<string>>(); // manifest digest -> refs
  const want = hostPlatform();
  for (const top of index.manifests ?? []) {
    let manifestDesc = top;
    if (isIndexMediaType(top.mediaType)) {
      await importBlob(top);
      const nested = JSON.parse(store.readBlob(top.digest).toString('utf8')) as ImageIndex;
      const candidates = (nested.manifests ?? []).filter((m) => isManifestMediaType(m.mediaType ?? MediaType.OCI_MANIFEST));
      const pick = candidates.find((m) => platformMatches(m.platform, want)) ?? (candidates.length === 1 ? candidates[0] : undefined);
      if (!pick) continue; // no variant for this platform
      manifestDesc = pick;
    } else if (!isManifestMediaType(top.mediaType ?? MediaType.OCI_MANIFEST)) {
      continue; // attestations and other artifacts
    }
    await importBlob(manifestDesc);
    const manifest = JSON.parse(store.readBlob(manifestDesc.digest).toString('utf8')) as ImageManifest;
    if (!isManifestMediaType(documentMediaType(manifest))) throw new ImageError('Unsupported', `${manifestDesc.digest}: not an image manifest`);
    for (const d of [manifest.config, ...manifest.layers]) await importBlob(d);
    const refs = images.get(manifestDesc.digest) ?? new Set<string>();
    const r = refFromAnnotations(top.annotations);
    if (r) refs.add(r);
    images.set(manifestDesc.digest, refs);
  }
  return images;
}

async function importDockerArchive(store: ImageContentStore, root: string, entries: DockerArchiveEntry[]): Promise<Map<string, Set<string>>> {
  const done = new Map<string, { digest: string; size: number; gzip: boolean }>();
  const importFile = async (rel: string) => {
    const hit = done.get(rel);
    if (hit) return hit;
    const f = inside(root, rel);
    if (!existsSync(f)) throw new ImageError('Invalid', `"${rel}" is missing from the archive`);
    const gzip = await isGzip(f);
    const r = { ...(await store.putBlobFile(f)), gzip };
    done.set(rel, r);
    return r;
  };
  const images = new Map<string, Set<string>>();
  for (const e of entries) {
    if (!e.Config || !Array.isArray(e.Layers)) throw new ImageError('Invalid', 'manifest.json entry lacks Config or Layers');
    const config = await importFile(e.Config);
    const layers: Descriptor[] = [];
    for (const l of e.Layers) {
      const b = await importFile(l);
      layers.push({ mediaType: b.gzip ? MediaType.DOCKER_LAYER_GZIP : MediaType.DOCKER_LAYER, digest: b.digest, size: b.size });
    }
    const manifest: ImageManifest = {
      schemaVersion: 2,
      mediaType: MediaType.DOCKER_MANIFEST,
      config: { mediaType: MediaType.DOCKER_CONFIG, digest: config.digest, size: config.size },
      layers,
    };
    const md = store.putBlob(Buffer.from(JSON.stringify(manifest)));
    const refs = images.get(md) ?? new Set<string>();
    for (const t of e.RepoTags ?? []) {
      if (!isValidImageReference(t)) throw new ImageError('InvalidImageName', `invalid RepoTag "${t}" in manifest.json`);
      refs.add(normalizeImageReference(t));
    }
    images.set(md, refs);
  }
  return images;
}

/**
 * Loads every image of a docker-archive or OCI-layout tar (itself optionally gzip'd) into the store and unpacks
 * its layers. Returns the normalized references now pointing at the loaded images; an image without a name is
 * reported by its manifest digest.
 */
export async function loadImageArchive(store: ImageContentStore, tarPath: string): Promise<string[]> {
  const work = await store.makeTempDir('load-');
  try {
    try {
      await tar.x({ file: tarPath, cwd: work, strict: true, preserveOwner: false });
    } catch (e) {
      throw new ImageError('Invalid', `reading image archive ${tarPath}: ${(e as Error).message}`, { cause: e });
    }
    let images: Map<string, Set<string>>;
    const hasIndex = existsSync(path.join(work, 'index.json')) && existsSync(path.join(work, 'oci-layout'));
    const hasDockerManifest = existsSync(path.join(work, 'manifest.json'));
    if (hasIndex) {
      images = await importOCILayout(store, work);
      // docker >= 25 writes both formats; take names from manifest.json when the index has none.
      if (hasDockerManifest) {
        const entries = await readJSON<DockerArchiveEntry[]>(path.join(work, 'manifest.json'));
        for (const [md, refs] of images) {
          if (refs.size) continue;
          const manifest = JSON.parse(store.readBlob(md).toString('utf8')) as ImageManifest;
          const cfgHex = digestHex(manifest.config.digest);
          for (const e of entries) {
            if (path.basename(e.Config).replace(/\.json$/, '') === cfgHex) for (const t of e.RepoTags ?? []) refs.add(normalizeImageReference(t));
          }
        }
      }
    } else if (hasDockerManifest) {
      images = await importDockerArchive(store, work, await readJSON<DockerArchiveEntry[]>(path.join(work, 'manifest.json')));
    } else {
      throw new ImageError('Invalid', `${tarPath}: neither an OCI image layout (index.json) nor a docker archive (manifest.json)`);
    }
    if (images.size === 0) throw new ImageError('Invalid', `${tarPath}: no image for platform ${hostPlatform().os}/${hostPlatform().architecture}`);
    const out: string[] = [];
    for (const [md, refs] of images) {
      const rec = await store.commitImage(md, [...refs]);
      out.push(...(refs.size ? [...refs] : [rec.digest]));
    }
    return out;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
