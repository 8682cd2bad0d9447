// Puts the API server together: the registry of served kinds, the services the handlers use (admission,
// field validation, selectors, printing), OpenAPI, and the bootstrap of the system namespaces.
import type { KubeObject } from '../api/types.js';
import { badRequest, notFound } from '../api/errors.js';
import { schemaForKind } from '../api/schema/index.js';
import { checkFields, decodeErrorMessage, pruneUnknown, strictDecodingError, unknownFieldWarnings } from '../api/schema/field_check.js';
import type { Storage } from '../storage/interface.js';
import { ResourceRegistry, type ResourceDef } from './registry.js';
import { ApiServer, type ServingTLS } from './server.js';
import { coreResources } from './resources/core.js';
import { rbacResources } from './resources/rbac.js';
import { authorizationResources } from './resources/authorization.js';
import { appsResources } from './resources/apps.js';
import { autoscalingResources } from './resources/autoscaling.js';
import { metricsResources } from './metrics/resources.js';
import { MetricsScraper } from './metrics/scraper.js';
import { batchResources } from './resources/batch.js';
import { statefulSetAndDaemonSetResources } from './resources/apps_sts_ds.js';
import { authenticationResources } from './resources/authentication.js';
import { policyResources } from './resources/policy.js';
import { bootstrapPriorityClasses, schedulingResources } from './resources/scheduling.js';
import { certificatesResources } from './resources/certificates.js';
import { certificateAdmission } from './admission/certificates.js';
import { priorityAdmission } from './admission/priority.js';
import type { PriorityClass } from '../api/scheduling/v1/types.js';
import { compilePredicate } from './services/selectors.js';
import { namespaceLifecycle } from './services/admission.js';
import { defaultTolerationSeconds } from './admission/default_toleration_seconds.js';
import { AdmissionChain } from './admission/chain.js';
import type { AdmissionPlugin } from './admission/interfaces.js';
import { serviceAccountAdmission } from './admission/service_account.js';
import { DEFAULT_SERVICE_ACCOUNT } from '../api/serviceaccount.js';
import type { RESTStore } from './rest/store.js';
import { defaultSecureAuthenticator, type ChainConfig } from './filters/handler_chain.js';
import { buildTable, printerFor } from './printers/index.js';
import type { FieldValidation } from './handlers/context.js';
import { openAPIProvider } from './openapi_routes.js';
import { createNodeGetter, createNodeProxy, createNodeUpgradeProxy, type NodeProxyOptions } from './proxy/index.js';
import { createResourceProxy } from './proxy/resource_proxy.js';
import { ServiceAllocators } from './resources/service/allocator.js';
import { serviceResources } from './resources/service/resources.js';
import { reconcileKubernetesService } from './resources/service/master.js';
import type { Node, Pod, Secret, ServiceAccount } from '../api/core/v1/types.js';
import type { Endpoints, Service } from '../api/core/v1/service_types.js';
import { everyoneIsAdmin } from './filters/insecure_admin.js';
import { ServiceAccountTokens, type TokenObjectGetter } from './authentication/serviceaccount_token.js';
import { bootstrapTokenAuthenticator } from './authentication/bootstrap_token.js';
import { staticTokenAuthenticator, unionTokenAuthenticator, withBearerTokens } from './authentication/token_authenticator.js';
import type { UserInfo } from './filters/user.js';
import type { AuthenticationServices } from './authentication/services.js';
import type { KeyObject } from 'node:crypto';
import type { Logger } from '../log/logger.js';
import type { PolicyRule, RoleBinding } from '../api/rbac/v1/types.js';
import { nodeRestriction, rbacEscalation, reconcileBootstrapPolicy, type NodeRBACAuthorization } from './authorization/index.js';

export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

export function defaultRegistry(): ResourceRegistry {
  return new ResourceRegistry().add(
    ...coreResources,
    ...appsResources,
    ...statefulSetAndDaemonSetResources,
    ...authorizationResources,
    ...rbacResources,
    ...autoscalingResources,
    ...metricsResources,
    ...batchResources,
    ...authenticationResources,
    ...policyResources,
    ...schedulingResources,
    ...certificatesResources,
  );
}

function fieldCheck(def: ResourceDef, obj: Record<string, unknown>, mode: FieldValidation, duplicates: string[] = []): string[] {
  const schema = schemaForKind(def.group, def.version, def.kind);
  const dup = mode === 'Ignore' ? [] : duplicates;
  if (!schema) {
    if (dup.length && mode === 'Strict') throw badRequest(strictDecodingError([], dup));
    return dup;
  }
  const r = checkFields(obj, schema);
  if (r.typeErrors.length) {
    throw badRequest(decodeErrorMessage(def.kind, def.group ? `${def.group}/${def.version}` : def.version, r.typeErrors.map((c) => c.message).join('; ')));
  }
  if (!r.unknown.length && !dup.length) return [];
  if (mode === 'Strict') throw badRequest(strictDecodingError(r.unknown, dup));
  if (r.unknown.length) pruneUnknown(obj, schema);
  return mode === 'Warn' ? [...dup, ...unknownFieldWarnings(r.unknown)] : [];
}

export interface ServiceAccountTokenConfig {
  /** --service-account-signing-key-file's key, and the keys tokens are verified with (--service-account-key-file). */
  privateKey: KeyObject;
  publicKeys: KeyObject[];
  /** --service-account-issuer (default https://kubernetes.default.svc.cluster.local). */
  issuer?: string;
  /** --api-audiences (default: the issuer). */
  audiences?: string[];
  maxExpirationSeconds?: number;
  /** --service-account-extend-token-expiration (default true). */
  extendExpiration?: boolean;
}

export interface ServerConfig extends ChainConfig {
  /** Admission plugins run after NamespaceLifecycle (mutating phase, then validating phase). */
  admissionPlugins?: AdmissionPlugin[];
  /**
   * ServiceAccount tokens: TokenRequest, and bearer token authentication (ServiceAccount and bootstrap
   * tokens) ahead of `authenticator`. Without it the server issues and accepts no tokens.
   */
  serviceAccountTokens?: ServiceAccountTokenConfig;
  /** Static bearer tokens (upstream --token-auth-file): token → user. */
  staticTokens?: Record<string, UserInfo>;
  /** Range Service ClusterIPs come from (upstream --service-cluster-ip-range; default 10.96.0.0/12). */
  serviceCIDR?: string;
  /** NodePort range (upstream --service-node-port-range; default 30000-32767). */
  nodePortRange?: { base: number; size: number };
  /**
   * Node,RBAC authorization (authorization/index.ts): its authorizer replaces `authorizer`, and the NodeRestriction
   * and RBAC escalation admission plugins join the chain. Call bootstrapAuthorization before serving.
   */
  authorization?: NodeRBACAuthorization;
  /** Serve HTTPS with this certificate, client certificates checked against its client CA. */
  tls?: ServingTLS;
}

/** Per API server: the Service allocators, primed from the store by bootstrapSystemNamespaces before serving. */
const serviceAllocatorsOf = new WeakMap<ApiServer, ServiceAllocators>();

export function serviceAllocators(api: ApiServer): ServiceAllocators | undefined {
  return serviceAllocatorsOf.get(api);
}

/**
 * `nodeProxyOptions`: options of the node proxies (e.g. an in-process connection to a node agent sharing the
 * process); `log`: the API server's logger (default: the apiserver component logger); `config`:
 * authentication, audit, authorization and extra admission plugins.
 */
export function createApiServer(
  storage: Storage,
  registry: ResourceRegistry = defaultRegistry(),
  nodeProxyOptions: NodeProxyOptions = {},
  log?: Logger,
  config: ServerConfig = {},
): ApiServer {
  // Services need the allocators, which belong to this server: their kinds are added here
  const allocators = new ServiceAllocators({ serviceCIDR: config.serviceCIDR, nodePortRange: config.nodePortRange });
  if (!registry.lookup('', 'v1', 'services')) registry.add(...serviceResources(allocators));
  const nsDef = registry.lookup('', 'v1', 'namespaces')!;
  const podDef = registry.lookup('', 'v1', 'pods');
  const nodeDef = registry.lookup('', 'v1', 'nodes');
  const authz = config.authorization;
  const saDef = registry.lookup('', 'v1', 'serviceaccounts');
  // the ServiceAccount plugin comes with ServiceAccount tokens (k8ts server); bare test servers have no controllers making `default`
  const serviceAccounts = config.serviceAccountTokens && saDef ? [serviceAccountAdmission(defaultServiceAccountLookup(() => api.storeFor(saDef)))] : [];
  const pcDef = registry.lookup('scheduling.k8s.io', 'v1', 'priorityclasses');
  const priority = pcDef ? [priorityAdmission({ list: async () => (await api.storeFor(pcDef).list(undefined)).items as PriorityClass[] })] : [];
  // upstream's order: NamespaceLifecycle, ServiceAccount, ..., Priority, DefaultTolerationSeconds
  const plugins = [
    namespaceLifecycle(() => api.storeFor(nsDef)),
    ...serviceAccounts,
    ...priority,
    defaultTolerationSeconds(),
    ...certificateAdmission(() => api.services.authorizer),
    ...(config.admissionPlugins ?? []),
  ];
  if (authz) {
    const roleRules = async (ref: RoleBinding['roleRef'], ns: string): Promise<PolicyRule[]> => {
      const def = registry.lookup('rbac.authorization.k8s.io', 'v1', ref.kind === 'Role' ? 'roles' : 'clusterroles')!;
      const role = await api.storeFor(def).get(ref.kind === 'Role' ? ns : undefined, ref.name);
      return (role.rules as PolicyRule[] | undefined) ?? [];
    };
    plugins.push(
      nodeRestriction({ getPod: async (ns, name) => (await api.storeFor(podDef!).get(ns, name)) as Pod }),
      rbacEscalation(authz.rbac, () => api.services.authorizer, roleRules),
    );
  }
  const admission = new AdmissionChain(plugins);
  // pods/log, exec, attach and portforward go to the node the pod runs on
  const lookup =
    podDef && nodeDef
      ? {
          getPod: async (ns: string, name: string) => (await api.storeFor(podDef).get(ns, name)) as Pod,
          getNode: async (name: string) => (await api.storeFor(nodeDef).get(undefined, name)) as Node,
        }
      : undefined;
  const nodeProxy = lookup ? createNodeProxy(lookup, nodeProxyOptions) : undefined;
  const authentication = config.serviceAccountTokens ? tokenAuthentication(config.serviceAccountTokens, registry, () => api, config.staticTokens) : undefined;
  const authenticator = authentication
    ? withBearerTokens(authentication.tokens, config.authenticator ?? (config.tls ? defaultSecureAuthenticator() : everyoneIsAdmin))
    : config.authenticator;
  const nodeUpgrade = lookup ? createNodeUpgradeProxy(lookup, nodeProxyOptions) : undefined;
  // pods/proxy, services/proxy, nodes/proxy
  const get = (resource: string) => async (ns: string | undefined, name: string) => {
    const def = registry.lookup('', 'v1', resource);
    if (!def) throw notFound({ group: '', resource }, name);
    return api.storeFor(def).get(ns, name);
  };
  const resourceProxy = createResourceProxy(
    {
      getPod: async (ns, name) => (await get('pods')(ns, name)) as Pod,
      getService: async (ns, name) => (await get('services')(ns, name)) as Service,
      getEndpoints: async (ns, name) => (await get('endpoints')(ns, name).catch(() => undefined)) as Endpoints | undefined,
      getNode: async (name) => (await get('nodes')(undefined, name)) as Node,
    },
    nodeProxyOptions,
  );
  // metrics.k8s.io: the node agents' /stats/summary, reached the way the node proxies reach them
  const nodeGet = createNodeGetter(nodeProxyOptions);
  const resourceMetrics = new MetricsScraper({ fetchSummary: (node) => nodeGet(node, '/stats/summary') });
  const api: ApiServer = new ApiServer({
    storage,
    registry,
    openapi: openAPIProvider(registry),
    log,
    chain: { authenticator, authorizer: authz?.authorizer ?? config.authorizer, audit: config.audit },
    tls: config.tls,
    services: {
      admission,
      nodeProxy,
      nodeUpgrade,
      resourceProxy,
      resourceMetrics,
      authentication,
      checkFields: fieldCheck,
      predicate: compilePredicate,
      table: (def: ResourceDef, objs: KubeObject[], includeObject: string, listMeta?: { resourceVersion?: string; continue?: string }) =>
        buildTable(printerFor(def.group, def.resource), objs, {
          includeObject: includeObject === 'None' || includeObject === 'Object' ? includeObject : 'Metadata',
          listMeta: listMeta ?? (objs.length === 1 ? { resourceVersion: objs[0].metadata.resourceVersion } : undefined),
        }),
    },
  });
  serviceAllocatorsOf.set(api, allocators);
  return api;
}

/**
 * ServiceAccounts for the admission plugin. The controller makes `default` moments after a namespace appears,
 * so `default` is looked up 10 times 100–200 ms apart before the pod is refused (upstream getServiceAccount).
 */
function defaultServiceAccountLookup(store: () => RESTStore): (ns: string, name: string) => Promise<ServiceAccount | undefined> {
  const get = async (ns: string, name: string) => {
    try {
      return (await store().get(ns, name)) as ServiceAccount;
    } catch (e) {
      if ((e as { code?: number }).code === 404) return undefined;
      throw e;
    }
  };
  return async (ns, name) => {
    const attempts = name === DEFAULT_SERVICE_ACCOUNT ? 10 : 1;
    const retryMs = 100 + Math.random() * 100;
    for (let i = 0; ; i++) {
      const sa = await get(ns, name);
      if (sa || i + 1 >= attempts) return sa;
      await new Promise((r) => setTimeout(r, retryMs));
    }
  };
}

/** Token authenticators and the token issuer; they read ServiceAccounts, pods, secrets and nodes from the store. */
function tokenAuthentication(
  cfg: ServiceAccountTokenConfig,
  registry: ResourceRegistry,
  api: () => ApiServer,
  staticTokens: Record<string, UserInfo> = {},
): AuthenticationServices {
  const getter = <T extends KubeObject>(resource: string) => {
    const def = registry.lookup('', 'v1', resource)!;
    return async (ns: string | undefined, name: string): Promise<T | undefined> => {
      try {
        return (await api().storeFor(def).get(ns, name)) as T;
      } catch (e) {
        if ((e as { code?: number }).code === 404) return undefined;
        throw e;
      }
    };
  };
  const getSecret = getter<Secret>('secrets');
  const objects: TokenObjectGetter = {
    getServiceAccount: getter<ServiceAccount>('serviceaccounts'),
    getPod: getter<Pod>('pods'),
    getSecret,
    getNode: (name) => getter<Node>('nodes')(undefined, name),
  };
  const serviceAccountTokens = new ServiceAccountTokens(cfg, objects);
  return {
    serviceAccountTokens,
    tokens: unionTokenAuthenticator([staticTokenAuthenticator(staticTokens), serviceAccountTokens, bootstrapTokenAuthenticator(getSecret)]),
    maxExpirationSeconds: cfg.maxExpirationSeconds,
    extendExpiration: cfg.extendExpiration ?? true,
  };
}

/**
 * The API server's own bootstrap, before it serves: the system namespaces (created if missing), and the Service
 * allocators' index of the stored Services.
 */
export async function bootstrapSystemNamespaces(api: ApiServer): Promise<void> {
  await serviceAllocatorsOf.get(api)?.start(api.services.storage);
  const def = api.services.lookup('', 'v1', 'namespaces')!;
  const store = api.storeFor(def);
  for (const name of SYSTEM_NAMESPACES) {
    try {
      await store.get(undefined, name);
    } catch {
      await store.create(undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    }
  }
  await bootstrapPriorityClasses(api);
}

/** The `kubernetes` Service and its endpoints, pointing at where this API server is reached (after listen). */
export async function bootstrapKubernetesService(api: ApiServer, endpoint: { ip: string; port: number }): Promise<void> {
  const alloc = serviceAllocatorsOf.get(api);
  if (alloc) await reconcileKubernetesService(api, alloc, endpoint);
}

/**
 * Reconcile the bootstrap RBAC policy (create what is missing, add what existing defaults lack), then load the
 * policy and the pod graph into the authorizers; before the server serves, so no request meets an empty policy.
 */
export async function bootstrapAuthorization(api: ApiServer, authz: NodeRBACAuthorization): Promise<void> {
  const lookup = (r: string) => api.services.lookup('rbac.authorization.k8s.io', 'v1', r)!;
  await reconcileBootstrapPolicy({ clusterRoles: api.storeFor(lookup('clusterroles')), clusterRoleBindings: api.storeFor(lookup('clusterrolebindings')) });
  await authz.start();
}
