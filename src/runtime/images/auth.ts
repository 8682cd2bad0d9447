// Registry credentials and auth challenges: picks credentials for an image from dockerconfigjson-shaped
// secrets (the kubelet's imagePullSecrets), parses WWW-Authenticate, and fetches bearer tokens.
import { ImageError } from './errors.js';
import type { ImageReference } from './reference.js';

export interface DockerConfigEntry {
  username?: string;
  password?: string;
  /** base64("username:password") */
  auth?: string;
  email?: string;
  identitytoken?: string;
}

/** The `.dockerconfigjson` shape of kubernetes.io/dockerconfigjson secrets. */
export interface DockerConfigJSON {
  auths?: Record<string, DockerConfigEntry>;
}

export interface RegistryCredential {
  username: string;
  password: string;
  /** The auths key it came from (for messages). */
  source: string;
}

export interface AuthChallenge {
  scheme: string;
  params: Record<string, string>;
}

/** Normalizes an auths key: drops scheme and trailing slash; index.docker.io(/v1) means docker.io. */
function normalizeKey(key: string): { host: string; path: string } {
  let k = key
    .trim()
    .replace(/^[a-z]+:\/\//i, '')
    .replace(/\/+$/, '');
  const slash = k.indexOf('/');
  let host = slash < 0 ? k : k.slice(0, slash);
  let p = slash < 0 ? '' : k.slice(slash + 1);
  if (host === 'index.docker.io' || host === 'registry-1.docker.io') host = 'docker.io';
  if (host === 'docker.io' && /^v[12]$/.test(p)) p = '';
  k = host;
  return { host: k.toLowerCase(), path: p };
}

function hostMatches(pattern: string, host: string): boolean {
  const pp = pattern.split(':');
  const hp = host.toLowerCase().split(':');
  if ((pp[1] ?? '') !== (hp[1] ?? '')) return false;
  const pl = pp[0]!.split('.');
  const hl = hp[0]!.split('.');
  if (pl.length !== hl.length) return false;
  return pl.every((label, i) => label === '*' || label === hl[i]);
}

function decodeEntry(source: string, e: DockerConfigEntry): RegistryCredential | undefined {
  if (e.username !== undefined || e.password !== undefined) return { username: e.username ?? '', password: e.password ?? '', source };
  if (e.auth) {
    const text = Buffer.from(e.auth, 'base64').toString('utf8');
    const colon = text.indexOf(':');
    if (colon < 0) return undefined;
    return { username: text.slice(0, colon), password: text.slice(colon + 1), source };
  }
  return undefined;
}

/**
 * Credentials that apply to `ref`, most specific key first (a key with a repository path beats a bare host;
 * globs like "*.example.com" match one label each), in the order the configs were given.
 */
export function credentialsFor(configs: DockerConfigJSON | DockerConfigJSON[] | undefined, ref: ImageReference): RegistryCredential[] {
  const list = configs === undefined ? [] : Array.isArray(configs) ? configs : [configs];
  const found: { cred: RegistryCredential; specificity: number; order: number }[] = [];
  let order = 0;
  for (const cfg of list) {
    for (const [key, entry] of Object.entries(cfg?.auths ?? {})) {
      order++;
      const k = normalizeKey(key);
      if (!hostMatches(k.host, ref.domain)) continue;
      if (k.path && ref.path !== k.path && !ref.path.startsWith(k.path + '/')) continue;
      const cred = decodeEntry(key, entry);
      if (cred) found.push({ cred, specificity: k.host.length + k.path.length * 2, order });
    }
  }
  return found.sort((a, b) => b.specificity - a.specificity || a.order - b.order).map((f) => f.cred);
}

/** Parses `Bearer realm="…",service="…",scope="…"` (first challenge only). */
export function parseAuthChallenge(header: string | null): AuthChallenge | undefined {
  if (!header) return undefined;
  const m = /^\s*([A-Za-z]+)\s*(.*)$/.exec(header);
  if (!m) return undefined;
  const params: Record<string, string> = {};
  const re = /([A-Za-z_]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))\s*,?/g;
  let p: RegExpExecArray | null;
  while ((p = re.exec(m[2]!)) !== null) params[p[1]!.toLowerCase()] = p[2] !== undefined ? p[2].replace(/\\(.)/g, '$1') : p[3]!;
  return { scheme: m[1]!.toLowerCase(), params };
}

export function basicAuthHeader(cred: RegistryCredential): string {
  return 'Basic ' + Buffer.from(`${cred.username}:${cred.password}`).toString('base64');
}

/** Answers a 401 challenge with an Authorization header value (fetching a bearer token when asked to). */
export async function authorize(
  challenge: AuthChallenge,
  scope: string,
  cred: RegistryCredential | undefined,
  fetchImpl: typeof fetch,
  signal?: AbortSignal,
): Promise<string> {
  if (challenge.scheme === 'basic') {
    if (!cred) throw new ImageError('Unauthorized', 'registry requires basic authentication and no credentials were given');
    return basicAuthHeader(cred);
  }
  if (challenge.scheme !== 'bearer') throw new ImageError('Unauthorized', `unsupported authentication scheme "${challenge.scheme}"`);
  const realm = challenge.params['realm'];
  if (!realm) throw new ImageError('Unauthorized', 'bearer challenge without realm');
  const url = new URL(realm);
  if (challenge.params['service']) url.searchParams.set('service', challenge.params['service']);
  url.searchParams.set('scope', challenge.params['scope'] ?? scope);
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (cred) headers['Authorization'] = basicAuthHeader(cred);
  let res: Response;
  try {
    res = await fetchImpl(url, { headers, signal });
  } catch (e) {
    throw new ImageError('Network', `fetching token from ${url.origin}: ${errText(e)}`, { cause: e });
  }
  if (res.status === 401 || res.status === 403) throw new ImageError('Unauthorized', `token server ${url.origin} refused the credentials (${res.status})`);
  if (!res.ok) throw new ImageError('Network', `token server ${url.origin} answered ${res.status}`);
  const body = (await res.json()) as { token?: string; access_token?: string };
  const token = body.token ?? body.access_token;
  if (!token) throw new ImageError('Unauthorized', `token server ${url.origin} returned no token`);
  return `Bearer ${token}`;
}

export function errText(e: unknown): string {
  const err = e as Error & { cause?: { code?: string; message?: string } };
  return err.cause?.code ? `${err.message}: ${err.cause.code}` : err.cause?.message ? `${err.message}: ${err.cause.message}` : String(err.message ?? e);
}
