// What every resource handler gets: the resolved request and its user, its ResourceDef and REST store,
// parsed query, and the shared services (admission, decoding with field validation, selectors, printing).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { KubeObject } from '../../api/types.js';
import type { ResourceDef } from '../registry.js';
import type { RequestInfo } from '../request_info.js';
import type { RESTStore } from '../rest/store.js';
import type { Storage } from '../../storage/interface.js';
import type { AdmissionChain } from '../admission/chain.js';
import type { UserInfo } from '../filters/user.js';
import type { Authorizer } from '../filters/authorization.js';
import type { Node } from '../../api/core/v1/types.js';
import type { NodeMetrics, PodMetrics } from '../../api/metrics/types.js';
import type { AuthenticationServices } from '../authentication/services.js';
import type { ResourceProxy } from '../proxy/resource_proxy.js';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export interface Services {
  storage: Storage;
  storeFor(def: ResourceDef): RESTStore;
  lookup(group: string, version: string, resource: string): ResourceDef | undefined;
  /** The authorizer of the filter chain (access reviews ask it; RBAC's escalation checks resolve rules with it). */
  authorizer: Authorizer;
  /** Admission plugins (namespace lifecycle etc.), run on create, update, delete and connect. */
  admission: AdmissionChain;
  /**
   * Check a decoded body against the kind's schema. Strict: unknown fields are a 400; Warn: returned
   * as warnings; Ignore: dropped. Wrong types are always a 400. `duplicates` (strict errors for repeated
   * keys found while decoding) are reported like unknown fields. Returns warnings.
   */
  checkFields(def: ResourceDef, obj: Record<string, unknown>, mode: FieldValidation, duplicates?: string[]): string[];
  /** Compile labelSelector/fieldSelector into a predicate (400 on a malformed selector). */
  predicate(def: ResourceDef, labelSelector: string | null, fieldSelector: string | null): ((o: KubeObject) => boolean) | undefined;
  /** Upstream-style Table for `kubectl get`. */
  table(def: ResourceDef, objs: KubeObject[], includeObject: string, listMeta?: { resourceVersion?: string; continue?: string }): unknown;
  /** Streams and proxies to the node agent (logs, exec, attach, port-forward); absent until a node serves them. */
  nodeProxy?(def: ResourceDef, info: RequestInfo, req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** The resource metrics of nodes and their pods (metrics.k8s.io), scraped from the node agents. */
  resourceMetrics?: {
    nodeMetrics(node: Node): Promise<NodeMetrics | undefined>;
    podMetrics(node: Node): Promise<Map<string, PodMetrics>>;
  };
  /** Upgrade requests (pods/exec, attach, portforward) forwarded to the node agent; owns the socket. */
  nodeUpgrade?(def: ResourceDef, info: RequestInfo, req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void>;
  /** pods/proxy, services/proxy and nodes/proxy: requests relayed to a pod, a Service endpoint or a node. */
  resourceProxy?: ResourceProxy;
  /** Token authentication and ServiceAccount tokens (TokenReview, TokenRequest); absent without a signing key. */
  authentication?: AuthenticationServices;
}

export interface HandlerContext {
  req: IncomingMessage;
  res: ServerResponse;
  info: RequestInfo;
  query: URLSearchParams;
  def: ResourceDef;
  store: RESTStore;
  svc: Services;
  /** The user the request acts as (after impersonation). */
  user: UserInfo;
}

/** An upgrade request (exec, attach, portforward): the socket instead of a response. */
export interface UpgradeContext extends Omit<HandlerContext, 'res'> {
  socket: Duplex;
  head: Buffer;
}

export function fieldValidationOf(q: URLSearchParams): FieldValidation {
  const v = q.get('fieldValidation');
  if (v === 'Strict' || v === 'Ignore' || v === 'Warn') return v;
  return 'Warn';
}

/** The field manager of a write: ?fieldManager=, else the client's User-Agent product name (upstream's default). */
export function fieldManagerOf(ctx: { req: IncomingMessage; query: URLSearchParams }): string {
  const m = ctx.query.get('fieldManager');
  if (m) return m;
  const ua = ctx.req.headers['user-agent'] ?? '';
  return ua.split('/')[0].trim().slice(0, 128) || 'unknown';
}

export function isDryRun(q: URLSearchParams): boolean {
  return q.getAll('dryRun').includes('All');
}
