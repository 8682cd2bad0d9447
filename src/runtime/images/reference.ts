// Image reference parsing and normalization with upstream (distribution/reference) rules: default registry
// docker.io, "library/" for official images, ":latest" when neither tag nor digest, registry hosts with ports.
import { InvalidImageNameError } from './errors.js';

export const DEFAULT_DOMAIN = 'docker.io';
export const DEFAULT_TAG = 'latest';
const LEGACY_DEFAULT_DOMAIN = 'index.docker.io';
const OFFICIAL_REPO_PREFIX = 'library/';
const NAME_TOTAL_LENGTH_MAX = 255;

const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const DOMAIN_NAME = /^(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*$/;
const IPV6_HOST = /^\[[a-fA-F0-9:]+\]$/;
const PORT = /^[0-9]+$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;
const HEX64 = /^[a-f0-9]{64}$/;

/** A parsed, normalized image reference. */
export interface ImageReference {
  /** Registry host (with optional :port), e.g. "docker.io", "127.0.0.1:5000". */
  domain: string;
  /** Repository path inside the registry, e.g. "library/busybox". */
  path: string;
  /** domain + "/" + path, e.g. "docker.io/library/busybox". */
  name: string;
  tag?: string;
  /** "algorithm:hex", e.g. "sha256:…". */
  digest?: string;
}

function validDomain(domain: string): boolean {
  let host = domain;
  let port: string | undefined;
  if (domain.startsWith('[')) {
    const end = domain.indexOf(']');
    if (end < 0) return false;
    host = domain.slice(0, end + 1);
    const rest = domain.slice(end + 1);
    if (rest) {
      if (!rest.startsWith(':')) return false;
      port = rest.slice(1);
    }
    if (!IPV6_HOST.test(host)) return false;
  } else {
    const colon = domain.indexOf(':');
    if (colon >= 0) {
      host = domain.slice(0, colon);
      port = domain.slice(colon + 1);
    }
    if (!DOMAIN_NAME.test(host)) return false;
  }
  return port === undefined || PORT.test(port);
}

/** Validates a digest string ("sha256:<64 hex>" for sha256). Returns an error text or undefined. */
export function digestProblem(digest: string): string | undefined {
  if (!DIGEST.test(digest)) return 'invalid reference format';
  const [alg, hex] = digest.split(':', 2) as [string, string];
  if (alg === 'sha256' && !HEX64.test(hex)) return 'invalid checksum digest length';
  if (alg !== 'sha256' && alg !== 'sha384' && alg !== 'sha512') return 'unsupported digest algorithm';
  return undefined;
}

/**
 * Parses an image reference like `kubectl run --image` accepts it ("busybox", "busybox:1.35",
 * "localhost:5000/x", "quay.io/a/b@sha256:…"). Throws InvalidImageNameError for malformed ones.
 * No default tag is added: see {@link withDefaultTag}.
 */
export function parseImageReference(image: string): ImageReference {
  const fail = (why?: string): never => {
    throw new InvalidImageNameError(image, why);
  };
  if (!image || image !== image.trim()) fail();
  if (HEX64.test(image)) fail(`invalid repository name (${image}), cannot specify 64-byte hexadecimal strings`);

  let rest = image;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    const problem = digestProblem(digest);
    if (problem) fail(problem);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) fail();
  }
  if (!rest) fail();

  let domain = DEFAULT_DOMAIN;
  let path = rest;
  const slash = rest.indexOf('/');
  if (slash >= 0) {
    const first = rest.slice(0, slash);
    if (first.includes('.') || first.includes(':') || first === 'localhost' || first.toLowerCase() !== first) {
      domain = first;
      path = rest.slice(slash + 1);
    }
  }
  if (!validDomain(domain)) fail();
  if (domain === LEGACY_DEFAULT_DOMAIN) domain = DEFAULT_DOMAIN;
  if (domain === DEFAULT_DOMAIN && !path.includes('/')) path = OFFICIAL_REPO_PREFIX + path;

  const components = path.split('/');
  for (const c of components) {
    if (!PATH_COMPONENT.test(c)) {
      if (PATH_COMPONENT.test(c.toLowerCase())) fail('repository name must be lowercase');
      fail();
    }
  }
  const name = `${domain}/${path}`;
  if (name.length > NAME_TOTAL_LENGTH_MAX) fail(`repository name must not be more than ${NAME_TOTAL_LENGTH_MAX} characters`);

  const ref: ImageReference = { domain, path, name };
  if (tag !== undefined) ref.tag = tag;
  if (digest !== undefined) ref.digest = digest;
  return ref;
}

/** Adds ":latest" when the reference carries neither a tag nor a digest (what the kubelet does before pulling). */
export function withDefaultTag(ref: ImageReference): ImageReference {
  return ref.tag === undefined && ref.digest === undefined ? { ...ref, tag: DEFAULT_TAG } : ref;
}

/** Full string form: "docker.io/library/busybox:1.35", "name@sha256:…", or "name:tag@sha256:…". */
export function formatReference(ref: ImageReference): string {
  return ref.name + (ref.tag !== undefined ? `:${ref.tag}` : '') + (ref.digest !== undefined ? `@${ref.digest}` : '');
}

/** Parses, applies the default tag, and returns the full normalized string ("busybox" → "docker.io/library/busybox:latest"). */
export function normalizeImageReference(image: string): string {
  return formatReference(withDefaultTag(parseImageReference(image)));
}

/** Short form as docker prints it: drops "docker.io/" and "library/" ("docker.io/library/busybox:1.35" → "busybox:1.35"). */
export function familiarString(ref: ImageReference): string {
  let name = ref.name;
  if (ref.domain === DEFAULT_DOMAIN) {
    name = ref.path.startsWith(OFFICIAL_REPO_PREFIX) && ref.path.split('/').length === 2 ? ref.path.slice(OFFICIAL_REPO_PREFIX.length) : ref.path;
  }
  return formatReference({ ...ref, name });
}

/** True when the string parses as an image reference. */
export function isValidImageReference(image: string): boolean {
  try {
    parseImageReference(image);
    return true;
  } catch {
    return false;
  }
}
