// Bootstrap tokens (k8s.io/cluster-bootstrap): the "<id>.<secret>" format, and the kube-system Secret
// (type bootstrap.kubernetes.io/token, named bootstrap-token-<id>) that stores one, with its data keys.

export const BOOTSTRAP_TOKEN_SECRET_TYPE = 'bootstrap.kubernetes.io/token';
export const BOOTSTRAP_TOKEN_SECRET_PREFIX = 'bootstrap-token-';
export const BOOTSTRAP_TOKEN_NAMESPACE = 'kube-system';
export const BOOTSTRAP_USER_PREFIX = 'system:bootstrap:';
export const BOOTSTRAP_DEFAULT_GROUP = 'system:bootstrappers';
/** kubeadm's default extra group for nodes joining with a token. */
export const BOOTSTRAP_KUBEADM_NODE_GROUP = 'system:bootstrappers:kubeadm:default-node-token';

export const BOOTSTRAP_KEYS = {
  tokenID: 'token-id',
  tokenSecret: 'token-secret',
  expiration: 'expiration',
  description: 'description',
  extraGroups: 'auth-extra-groups',
  usagePrefix: 'usage-bootstrap-',
} as const;

/** The usages a bootstrap token may have (usage-bootstrap-<usage>: "true"). */
export const BOOTSTRAP_USAGES = ['signing', 'authentication'];

const TOKEN_RE = /^([a-z0-9]{6})\.([a-z0-9]{16})$/;
const GROUP_RE = /^system:bootstrappers:[a-z0-9:-]{0,255}[a-z0-9]$/;

/** "<id>.<secret>" split into its parts, or undefined when it is not a bootstrap token. */
export function parseBootstrapToken(token: string): { id: string; secret: string } | undefined {
  const m = TOKEN_RE.exec(token);
  return m ? { id: m[1], secret: m[2] } : undefined;
}

export function bootstrapTokenSecretName(id: string): string {
  return BOOTSTRAP_TOKEN_SECRET_PREFIX + id;
}

/** Upstream ValidateBootstrapGroupName's rule; returns the error, or undefined when valid. */
export function bootstrapGroupError(group: string): string | undefined {
  if (GROUP_RE.test(group)) return undefined;
  return `bootstrap group ${JSON.stringify(group)} is invalid (must match ${GROUP_RE.source})`;
}

/** The data of a bootstrap token Secret, decoded from base64. */
export function bootstrapSecretData(data: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(data ?? {})) out[k] = Buffer.from(v, 'base64').toString('utf8');
  return out;
}

/** Whether the secret's expiration (RFC 3339) has passed at `now`; a malformed one counts as expired. */
export function bootstrapTokenExpired(expiration: string | undefined, now: number): boolean {
  if (!expiration) return false;
  const t = Date.parse(expiration);
  return Number.isNaN(t) || t <= now;
}
