// Authentication and authorization of the node's endpoint (upstream kubelet's InstallAuthFilter): the in-process
// caller's identity, else the client certificate (verified against the client CA), else a bearer token that a
// NodeTokenAuthenticator (the TokenReview webhook) accepts is the user; the request becomes attributes on the
// node object (nodes/proxy for exec, attach, port-forward and container logs, nodes/stats, metrics, log, spec)
// that a NodeAuthorizer (the SubjectAccessReview webhook) decides. 401 "Unauthorized" without a valid identity,
// 403 with upstream's text when denied, 500 with upstream's text when the decision could not be made.
import type { IncomingMessage } from 'node:http';
import { TLSSocket } from 'node:tls';
import { peerCertificateIdentity } from '../../pki/peer_identity.js';

export interface NodeUser {
  name: string;
  groups: string[];
  uid?: string;
  extra?: Record<string, string[]>;
}

/** Turns a bearer token into a user (upstream's webhook token authenticator); undefined: not authenticated. */
export interface NodeTokenAuthenticator {
  authenticateToken(token: string): Promise<NodeUser | undefined>;
}

/** Upstream's authorizer attributes for a kubelet request (resource "nodes", name = this node). */
export interface NodeRequestAttributes {
  user: NodeUser;
  verb: string;
  resource: 'nodes';
  subresource: string;
  name: string;
  path: string;
}

/** Decides node endpoint requests; RBAC's decision (or a SubjectAccessReview webhook) plugs in here. */
export interface NodeAuthorizer {
  authorize(a: NodeRequestAttributes): Promise<boolean> | boolean;
}

/** Until RBAC decides: the API server's kubelet client identity, and cluster admins. */
export const CLUSTER_ADMIN_GROUPS = ['system:masters', 'kubeadm:cluster-admins'];
export const defaultNodeAuthorizer: NodeAuthorizer = {
  authorize: (a) => a.user.groups.some((g) => CLUSTER_ADMIN_GROUPS.includes(g)),
};

/** Where an in-process connection (streaming/in_process.ts) carries its caller's identity. */
export const IN_PROCESS_USER = Symbol('k8ts.inProcessUser');

export type NodeAuthentication = { user: NodeUser } | { error: 'Unauthorized' };

/** The request's bearer token (Authorization: Bearer <token>), if any. */
function bearerToken(req: IncomingMessage): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  return m?.[1];
}

/** Upstream's union: a client certificate that verifies wins; else the bearer token; else 401. */
export async function authenticateNodeRequest(req: IncomingMessage, tokens?: NodeTokenAuthenticator): Promise<NodeAuthentication> {
  const socket = req.socket as IncomingMessage['socket'] & { [IN_PROCESS_USER]?: NodeUser };
  const local = socket[IN_PROCESS_USER];
  if (local) return { user: local };
  if (!(socket instanceof TLSSocket)) return { error: 'Unauthorized' };
  const id = peerCertificateIdentity(socket);
  if (id.kind === 'user') return { user: { name: id.name, groups: [...id.groups, 'system:authenticated'] } };
  const token = tokens ? bearerToken(req) : undefined;
  if (!token) return { error: 'Unauthorized' };
  try {
    const user = await tokens!.authenticateToken(token);
    return user ? { user } : { error: 'Unauthorized' };
  } catch {
    return { error: 'Unauthorized' };
  }
}

const VERBS: Record<string, string> = { GET: 'get', HEAD: 'get', POST: 'create', PUT: 'update', PATCH: 'patch', DELETE: 'delete' };

/** Upstream's kubelet path → subresource mapping; everything else is "proxy". */
export function nodeRequestAttributes(user: NodeUser, nodeName: string, method: string, path: string): NodeRequestAttributes {
  const sub = (p: string) => path === p || path.startsWith(`${p}/`);
  const subresource = sub('/stats')
    ? 'stats'
    : sub('/metrics')
      ? 'metrics'
      : sub('/logs')
        ? 'log'
        : sub('/spec')
          ? 'spec'
          : sub('/checkpoint')
            ? 'checkpoint'
            : 'proxy';
  return { user, verb: VERBS[method] ?? method.toLowerCase(), resource: 'nodes', subresource, name: nodeName, path };
}

const describe = (a: NodeRequestAttributes) => `(user=${a.user.name}, verb=${a.verb}, resource=${a.resource}, subresource(s)=[${a.subresource}])`;

/** Upstream kubelet's 403 text. */
export function nodeForbiddenMessage(a: NodeRequestAttributes): string {
  return `Forbidden ${describe(a)}\n`;
}

/** Upstream kubelet's 500 text when the authorizer failed. */
export function nodeAuthorizationErrorMessage(a: NodeRequestAttributes): string {
  return `Authorization error ${describe(a)}\n`;
}
