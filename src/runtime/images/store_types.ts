// What image loads and pulls write into the image store (ImageStore implements it), and the records it keeps.
// Kept apart from store.ts, which calls load and pull, so that neither needs to import the other back.

export interface StoredLayer {
  /** Digest of the blob as stored (possibly compressed). */
  digest: string;
  /** Digest of the uncompressed tar (config rootfs.diff_ids entry); names the unpacked dir. */
  diffID: string;
  size: number;
  mediaType: string;
}

/** One image as the index records it. */
export interface ImageRecord {
  /** Image ID as CRI/docker show it: the config digest. */
  id: string;
  /** Manifest digest (the single-platform manifest). */
  digest: string;
  mediaType: string;
  configDigest: string;
  layers: StoredLayer[];
  /** Normalized references pointing at this image ("docker.io/library/busybox:1.35"). */
  refs: string[];
  /** "name@sha256:…" digests the image is known by in registries (for pulled images the top-level digest). */
  repoDigests: string[];
  /** Bytes of config + layer blobs as stored. */
  size: number;
  created?: string;
  addedAt: string;
}

/** The blob and index operations that loadImageArchive and pullImage use. */
export interface ImageContentStore {
  hasBlob(digest: string): boolean;
  readBlob(digest: string): Buffer;
  makeTempDir(prefix?: string): Promise<string>;
  putBlob(data: Buffer, expected?: string): string;
  putBlobFile(file: string, expected?: string, opts?: { move?: boolean; expectedSize?: number }): Promise<{ digest: string; size: number }>;
  commitImage(manifestDigest: string, refs: string[], opts?: { repoDigests?: string[] }): Promise<ImageRecord>;
}

export interface ImageSummary {
  refs: string[];
  repoDigests: string[];
  id: string;
  digest: string;
  size: number;
  created?: string;
}

export interface RemoveResult {
  untagged: string[];
  deleted: string[];
}
