// Pulls an image over the OCI distribution protocol: resolves the manifest (choosing the host platform from an
// index / manifest list), downloads config and layers with digest verification, and commits them to the store.
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { authorize, credentialsFor, errText, parseAuthChallenge, type DockerConfigJSON, type RegistryCredential } from './auth.js';
import { DigestingStream, sha256Digest } from './digest.js';
import { ImageError } from './errors.js';
import {
  documentMediaType,
  hostPlatform,
  isIndexMediaType,
  isManifestMediaType,
  platformMatches,
  MediaType,
  type Descriptor,
  type ImageIndex,
  type ImageManifest,
  type Platform,
} from './oci.js';
import { formatReference, parseImageReference, withDefaultTag, type ImageReference } from './reference.js';
import type { ImageContentStore, ImageRecord } from './store_types.js';

export interface PullProgress {
  /** Blob digest. */
  digest: string;
  kind: 'config' | 'layer';
  done: number;
  total: number;
  /** "exists": already in the store, nothing downloaded. */
  phase: 'downloading' | 'complete' | 'exists';
}

export interface PullOptions {
  /** imagePullSecrets contents (dockerconfigjson); credentials are tried most-specific first. */
  auths?: DockerConfigJSON | DockerConfigJSON[];
  /** Registry hosts (host[:port]) to reach over plain HTTP. localhost and 127.0.0.0/8 always are. */
  insecureRegistries?: string[];
  /** Reach every registry over plain HTTP (tests, air-gapped labs). */
  allowInsecure?: boolean;
  platform?: Platform;
  onProgress?: (p: PullProgress) => void;
  signal?: AbortSignal;
  /** Parallel layer downloads (default 3). */
  concurrency?: number;
  fetch?: typeof fetch;
}

const MANIFEST_ACCEPT = [MediaType.OCI_INDEX, MediaType.OCI_MANIFEST, MediaType.DOCKER_LIST, MediaType.DOCKER_MANIFEST].join(', ');

function isLoopback(domain: string): boolean {
  const host = domain.startsWith('[') ? domain.slice(0, domain.indexOf(']') + 1) : domain.split(':')[0]!;
  return host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** Base URL of the registry API for a reference's domain. */
export function registryBaseURL(ref: ImageReference, opts: Pick<PullOptions, 'insecureRegistries' | 'allowInsecure'> = {}): string {
  const host = ref.domain === 'docker.io' ? 'registry-1.docker.io' : ref.domain;
  const plain = opts.allowInsecure || isLoopback(ref.domain) || (opts.insecureRegistries ?? []).includes(ref.domain);
  return `${plain ? 'http' : 'https'}://${host}`;
}

/** One repository on one registry, with the auth state of the current credential. */
class RepositoryClient {
  private authHeader?: string;
  constructor(
    private readonly base: string,
    private readonly ref: ImageReference,
    private readonly cred: RegistryCredential | undefined,
    private readonly fetchImpl: typeof fetch,
    private readonly signal?: AbortSignal,
  ) {}

  private get display(): string {
    return formatReference(this.ref);
  }

  async get(kind: 'manifests' | 'blobs', reference: string, accept?: string): Promise<Response> {
    const url = `${this.base}/v2/${this.ref.path}/${kind}/${reference}`;
    for (let attempt = 0; ; attempt++) {
      const headers: Record<string, string> = {};
      if (accept) headers['Accept'] = accept;
      if (this.authHeader) headers['Authorization'] = this.authHeader;
      let res: Response;
      try {
        res = await this.fetchImpl(url, { headers, signal: this.signal, redirect: 'follow' });
      } catch (e) {
        throw new ImageError('Network', `failed to do request: GET ${url}: ${errText(e)}`, { cause: e });
      }
      if (res.status === 401 && attempt === 0) {
        const challenge = parseAuthChallenge(res.headers.get('www-authenticate'));
        await res.body?.cancel();
        if (!challenge) throw new ImageError('Unauthorized', `${this.display}: 401 Unauthorized without an authentication challenge`);
        this.authHeader = await authorize(challenge, `repository:${this.ref.path}:pull`, this.cred, this.fetchImpl, this.signal);
        continue;
      }
      if (res.ok) return res;
      const detail = await registryErrorText(res);
      if (res.status === 401 || res.status === 403) {
        throw new ImageError('Unauthorized', `pull access denied for ${this.display}, repository does not exist or may require authorization: ${detail}`);
      }
      if (res.status === 404) {
        throw new ImageError('NotFound', kind === 'manifests' ? `${this.display}: not found` : `${this.display}: blob ${reference} not found`);
      }
      throw new ImageError('Network', `GET ${url}: unexpected status ${res.status}: ${detail}`);
    }
  }
}

async function registryErrorText(res: Response): Promise<string> {
  const text = await res.text().catch(() => '');
  try {
    const body = JSON.parse(text) as { errors?: { code?: string; message?: string }[] };
    if (body.errors?.length) return body.errors.map((e) => `${(e.code ?? '').toLowerCase()}: ${e.message ?? ''}`).join('; ');
  } catch {
    /* not JSON */
  }
  return `${res.status} ${res.statusText}`.trim();
}

/** Fetches a manifest or index; verifies it against `expected` and the registry's Docker-Content-Digest. */
async function fetchManifest(client: RepositoryClient, reference: string, expected?: string): Promise<{ body: Buffer; digest: string; mediaType: string }> {
  const res = await client.get('manifests', reference, MANIFEST_ACCEPT);
  const body = Buffer.from(await res.arrayBuffer());
  const digest = sha256Digest(body);
  if (expected && expected !== digest) throw new ImageError('DigestMismatch', `manifest digest mismatch: expected ${expected}, got ${digest}`);
  const announced = res.headers.get('docker-content-digest');
  if (announced && announced.startsWith('sha256:') && announced !== digest) {
    throw new ImageError('DigestMismatch', `manifest digest mismatch: registry says ${announced}, content is ${digest}`);
  }
  let doc: { mediaType?: string; manifests?: unknown; config?: unknown; schemaVersion?: number };
  try {
    doc = JSON.parse(body.toString('utf8'));
  } catch {
    throw new ImageError('Invalid', `${reference}: manifest is not JSON`);
  }
  const header = (res.headers.get('content-type') ?? '').split(';')[0]!.trim();
  const mediaType = doc.mediaType ?? (isIndexMediaType(header) || isManifestMediaType(header) ? header : documentMediaType(doc)) ?? header;
  if (doc.schemaVersion === 1) throw new ImageError('Unsupported', `${reference}: Docker schema 1 manifests are not supported`);
  return { body, digest, mediaType };
}

/** Downloads a blob into the store, verifying size and digest; nothing is stored on mismatch. */
async function fetchBlob(store: ImageContentStore, client: RepositoryClient, d: Descriptor, kind: PullProgress['kind'], opts: PullOptions): Promise<void> {
  if (store.hasBlob(d.digest)) {
    opts.onProgress?.({ digest: d.digest, kind, done: d.size, total: d.size, phase: 'exists' });
    return;
  }
  const res = await client.get('blobs', d.digest);
  if (!res.body) throw new ImageError('Network', `blob ${d.digest}: empty response`);
  const dir = await store.makeTempDir('pull-');
  const file = path.join(dir, 'blob');
  try {
    let done = 0;
    const progress = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        done += chunk.length;
        if (done > d.size) return cb(new ImageError('DigestMismatch', `blob ${d.digest}: more than the ${d.size} bytes announced`));
        opts.onProgress?.({ digest: d.digest, kind, done, total: d.size, phase: 'downloading' });
        cb(null, chunk);
      },
    });
    const digester = new DigestingStream();
    try {
      await pipeline(Readable.fromWeb(res.body as unknown as WebReadableStream), progress, digester, createWriteStream(file));
    } catch (e) {
      if (e instanceof ImageError) throw e;
      throw new ImageError('Network', `downloading blob ${d.digest}: ${errText(e)}`, { cause: e });
    }
    const got = digester.digest();
    if (got !== d.digest) throw new ImageError('DigestMismatch', `blob digest mismatch: expected ${d.digest}, got ${got}`);
    if (done !== d.size) throw new ImageError('DigestMismatch', `blob ${d.digest}: size ${done} differs from the ${d.size} announced`);
    await store.putBlobFile(file, d.digest, { move: true, expectedSize: d.size });
    opts.onProgress?.({ digest: d.digest, kind, done, total: d.size, phase: 'complete' });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function runLimited<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failed: unknown;
  const worker = async (): Promise<void> => {
    while (next < items.length && failed === undefined) {
      const item = items[next++]!;
      try {
        await fn(item);
      } catch (e) {
        failed ??= e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (failed !== undefined) throw failed;
}

/**
 * Pulls `image` (e.g. "busybox", "127.0.0.1:5000/busybox:1.35", "quay.io/x/y@sha256:…") into the store and returns
 * the stored image. Throws ImageError with kind InvalidImageName, NotFound, Unauthorized, Network, DigestMismatch
 * or Unsupported.
 */
export async function pullImage(store: ImageContentStore, image: string, opts: PullOptions = {}): Promise<ImageRecord> {
  const ref = withDefaultTag(parseImageReference(image));
  const fetchImpl = opts.fetch ?? fetch;
  const base = registryBaseURL(ref, opts);
  const creds: (RegistryCredential | undefined)[] = credentialsFor(opts.auths, ref);
  if (creds.length === 0) creds.push(undefined);

  let client: RepositoryClient | undefined;
  let top: Awaited<ReturnType<typeof fetchManifest>> | undefined;
  let lastErr: unknown;
  for (const cred of creds) {
    const c = new RepositoryClient(base, ref, cred, fetchImpl, opts.signal);
    try {
      top = await fetchManifest(c, ref.digest ?? ref.tag!, ref.digest);
      client = c;
      break;
    } catch (e) {
      lastErr = e;
      if (!(e instanceof ImageError && e.kind === 'Unauthorized')) break;
    }
  }
  if (!client || !top) throw lastErr;

  let manifest = top;
  if (isIndexMediaType(top.mediaType)) {
    const index = JSON.parse(top.body.toString('utf8')) as ImageIndex;
    const want = opts.platform ?? hostPlatform();
    const pick = (index.manifests ?? []).find((m) => isManifestMediaType(m.mediaType ?? MediaType.OCI_MANIFEST) && platformMatches(m.platform, want));
    if (!pick) throw new ImageError('NotFound', `${formatReference(ref)}: no match for platform ${want.os}/${want.architecture} in manifest ${top.digest}`);
    manifest = await fetchManifest(client, pick.digest, pick.digest);
    if (!isManifestMediaType(manifest.mediaType)) throw new ImageError('Unsupported', `${pick.digest}: unsupported media type "${manifest.mediaType}"`);
  } else if (!isManifestMediaType(top.mediaType)) {
    throw new ImageError('Unsupported', `${formatReference(ref)}: unsupported manifest media type "${top.mediaType}"`);
  }

  const m = JSON.parse(manifest.body.toString('utf8')) as ImageManifest;
  if (!m.config?.digest || !Array.isArray(m.layers)) throw new ImageError('Invalid', `${manifest.digest}: malformed manifest`);
  await fetchBlob(store, client, m.config, 'config', opts);
  await runLimited(m.layers, opts.concurrency ?? 3, (l) => fetchBlob(store, client!, l, 'layer', opts));

  if (top !== manifest) store.putBlob(top.body, top.digest);
  store.putBlob(manifest.body, manifest.digest);
  return store.commitImage(manifest.digest, ref.tag !== undefined ? [formatReference({ ...ref, digest: undefined })] : [], {
    repoDigests: [`${ref.name}@${top.digest}`],
  });
}
