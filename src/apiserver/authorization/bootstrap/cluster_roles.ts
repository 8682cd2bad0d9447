// The bootstrap ClusterRoles and ClusterRoleBindings (upstream plugin/pkg/auth/authorizer/rbac/bootstrappolicy):
// cluster-admin, the aggregated admin/edit/view, discovery and public info, the components' roles, the node's
// rules (granted by the Node authorizer, system:node is bound to nobody) and the certificate signer roles.
import type { ClusterRole, ClusterRoleBinding, PolicyRule, Subject } from '../../../api/rbac/v1/types.js';
import { AUTOUPDATE_ANNOTATION, RBAC_API_VERSION, RBAC_GROUP } from '../../../api/rbac/v1/types.js';
import { controllerRoles } from './controller_roles.js';
import {
  APPS,
  AUTHENTICATION,
  AUTHORIZATION,
  AUTOSCALING,
  BATCH,
  CERTIFICATES,
  COORDINATION,
  DISCOVERY,
  EXTENSIONS,
  LEGACY,
  NETWORKING,
  NODE,
  POLICY,
  RBAC,
  READ,
  READ_WRITE,
  STORAGE,
  WRITE,
  eventsRule,
  rule,
  urls,
} from './rules.js';

export const AGGREGATE_TO = (role: 'admin' | 'edit' | 'view') => `rbac.authorization.k8s.io/aggregate-to-${role}`;
const BOOTSTRAP_LABEL = { 'kubernetes.io/bootstrapping': 'rbac-defaults' };

function clusterRole(name: string, rules: PolicyRule[], o: { labels?: Record<string, string>; aggregateFrom?: string } = {}): ClusterRole {
  const role: ClusterRole = {
    apiVersion: RBAC_API_VERSION,
    kind: 'ClusterRole',
    metadata: { name, labels: { ...BOOTSTRAP_LABEL, ...o.labels }, annotations: { [AUTOUPDATE_ANNOTATION]: 'true' } },
    rules,
  };
  if (o.aggregateFrom) role.aggregationRule = { clusterRoleSelectors: [{ matchLabels: { [o.aggregateFrom]: 'true' } }] };
  return role;
}

const user = (name: string): Subject => ({ kind: 'User', apiGroup: RBAC_GROUP, name });
const group = (name: string): Subject => ({ kind: 'Group', apiGroup: RBAC_GROUP, name });
const serviceAccount = (namespace: string, name: string): Subject => ({ kind: 'ServiceAccount', name, namespace });

function binding(name: string, role: string, subjects: Subject[]): ClusterRoleBinding {
  return {
    apiVersion: RBAC_API_VERSION,
    kind: 'ClusterRoleBinding',
    metadata: { name, labels: { ...BOOTSTRAP_LABEL }, annotations: { [AUTOUPDATE_ANNOTATION]: 'true' } },
    roleRef: { apiGroup: RBAC_GROUP, kind: 'ClusterRole', name: role },
    subjects,
  };
}

/** What a node may do beyond what the Node authorizer decides by relationship (upstream NodeRules). */
export function nodeRules(): PolicyRule[] {
  return [
    rule('create', AUTHENTICATION, ['tokenreviews']),
    rule('create', AUTHORIZATION, ['subjectaccessreviews', 'localsubjectaccessreviews']),
    rule(READ, LEGACY, ['services']),
    rule(['create', 'get', 'list', 'watch'], LEGACY, ['nodes']),
    rule(['update', 'patch'], LEGACY, ['nodes/status']),
    rule(['update', 'patch'], LEGACY, ['nodes']),
    rule(['create', 'update', 'patch'], LEGACY, ['events']),
    rule(READ, LEGACY, ['pods']),
    rule(['create', 'delete'], LEGACY, ['pods']),
    rule(['update', 'patch'], LEGACY, ['pods/status']),
    rule('create', LEGACY, ['pods/eviction']),
    rule(['get', 'list', 'watch'], LEGACY, ['secrets', 'configmaps']),
    rule('get', LEGACY, ['persistentvolumeclaims', 'persistentvolumes']),
    rule('get', LEGACY, ['endpoints']),
    rule(['create', 'get', 'list', 'watch'], CERTIFICATES, ['certificatesigningrequests']),
    rule(['get', 'create', 'update', 'patch', 'delete'], COORDINATION, ['leases']),
    rule('get', STORAGE, ['volumeattachments']),
    rule('create', LEGACY, ['serviceaccounts/token']),
    rule(['get', 'update', 'patch'], LEGACY, ['persistentvolumeclaims/status']),
    rule(['get', 'watch', 'list', 'create', 'update', 'patch', 'delete'], STORAGE, ['csinodes']),
    rule(['get', 'watch', 'list'], STORAGE, ['csidrivers']),
    rule(READ, NODE, ['runtimeclasses']),
  ];
}

function kubeSchedulerRules(): PolicyRule[] {
  return [
    eventsRule(),
    rule('create', COORDINATION, ['leases']),
    rule(['get', 'update'], COORDINATION, ['leases'], ['kube-scheduler']),
    rule(READ, LEGACY, ['nodes']),
    rule(['get', 'list', 'watch', 'delete'], LEGACY, ['pods']),
    rule('create', LEGACY, ['pods/binding', 'bindings']),
    rule(['patch', 'update'], LEGACY, ['pods/status']),
    rule(READ, LEGACY, ['services', 'replicationcontrollers']),
    rule(READ, [APPS, EXTENSIONS], ['replicasets']),
    rule(READ, APPS, ['statefulsets']),
    rule(READ, POLICY, ['poddisruptionbudgets']),
    rule(READ, LEGACY, ['persistentvolumeclaims', 'persistentvolumes']),
    rule('create', AUTHENTICATION, ['tokenreviews']),
    rule('create', AUTHORIZATION, ['subjectaccessreviews']),
    rule(READ, STORAGE, ['csinodes']),
    rule(READ, LEGACY, ['namespaces']),
    rule(READ, STORAGE, ['csidrivers']),
    rule(READ, STORAGE, ['csistoragecapacities']),
  ];
}

function volumeSchedulerRules(): PolicyRule[] {
  return [
    rule(['get', 'list', 'patch', 'update', 'watch'], LEGACY, ['persistentvolumes']),
    rule(READ, STORAGE, ['storageclasses']),
    rule(['get', 'list', 'patch', 'update', 'watch'], LEGACY, ['persistentvolumeclaims']),
  ];
}

/**
 * upstream's kube-controller-manager role, joined with every controller role: k8ts' controllers share the one
 * identity system:kube-controller-manager (upstream gives each its own service account).
 */
function kubeControllerManagerRules(): PolicyRule[] {
  return [
    eventsRule(),
    rule('create', COORDINATION, ['leases']),
    rule(['get', 'update'], COORDINATION, ['leases'], ['kube-controller-manager']),
    rule('create', LEGACY, ['secrets', 'serviceaccounts']),
    rule('delete', LEGACY, ['secrets']),
    rule('get', LEGACY, ['configmaps', 'namespaces', 'secrets', 'serviceaccounts']),
    rule('update', LEGACY, ['secrets', 'serviceaccounts']),
    rule('create', AUTHENTICATION, ['tokenreviews']),
    rule('create', AUTHORIZATION, ['subjectaccessreviews']),
    rule(['list', 'watch'], '*', ['*']),
    rule('create', LEGACY, ['serviceaccounts/token']),
    ...controllerRoles.flatMap((c) => c.rules),
  ];
}

function viewRules(): PolicyRule[] {
  return [
    rule(READ, LEGACY, [
      'pods',
      'replicationcontrollers',
      'replicationcontrollers/scale',
      'serviceaccounts',
      'services',
      'services/status',
      'endpoints',
      'persistentvolumeclaims',
      'persistentvolumeclaims/status',
      'configmaps',
    ]),
    rule(READ, LEGACY, [
      'limitranges',
      'resourcequotas',
      'bindings',
      'events',
      'pods/status',
      'resourcequotas/status',
      'namespaces/status',
      'replicationcontrollers/status',
      'pods/log',
    ]),
    rule(READ, LEGACY, ['namespaces']),
    rule(READ, DISCOVERY, ['endpointslices']),
    rule(READ, APPS, [
      'controllerrevisions',
      'statefulsets',
      'statefulsets/status',
      'statefulsets/scale',
      'daemonsets',
      'daemonsets/status',
      'deployments',
      'deployments/status',
      'deployments/scale',
      'replicasets',
      'replicasets/status',
      'replicasets/scale',
    ]),
    rule(READ, AUTOSCALING, ['horizontalpodautoscalers', 'horizontalpodautoscalers/status']),
    rule(READ, BATCH, ['jobs', 'cronjobs', 'cronjobs/status', 'jobs/status']),
    rule(READ, EXTENSIONS, [
      'daemonsets',
      'daemonsets/status',
      'deployments',
      'deployments/scale',
      'deployments/status',
      'ingresses',
      'ingresses/status',
      'replicasets',
      'replicasets/scale',
      'replicasets/status',
      'replicationcontrollers/scale',
      'networkpolicies',
    ]),
    rule(READ, POLICY, ['poddisruptionbudgets', 'poddisruptionbudgets/status']),
    rule(READ, NETWORKING, ['networkpolicies', 'ingresses', 'ingresses/status']),
  ];
}

function editRules(): PolicyRule[] {
  return [
    rule(READ, LEGACY, ['pods/attach', 'pods/proxy', 'pods/exec', 'pods/portforward', 'secrets', 'services/proxy']),
    rule('impersonate', LEGACY, ['serviceaccounts']),
    rule(WRITE, LEGACY, ['pods', 'pods/attach', 'pods/proxy', 'pods/exec', 'pods/portforward']),
    rule('create', LEGACY, ['pods/eviction']),
    rule(WRITE, LEGACY, [
      'replicationcontrollers',
      'replicationcontrollers/scale',
      'serviceaccounts',
      'services',
      'services/proxy',
      'persistentvolumeclaims',
      'configmaps',
      'secrets',
      'events',
    ]),
    rule('create', LEGACY, ['serviceaccounts/token']),
    rule(WRITE, APPS, [
      'statefulsets',
      'statefulsets/scale',
      'daemonsets',
      'deployments',
      'deployments/scale',
      'deployments/rollback',
      'replicasets',
      'replicasets/scale',
    ]),
    rule(WRITE, AUTOSCALING, ['horizontalpodautoscalers']),
    rule(WRITE, BATCH, ['jobs', 'cronjobs']),
    rule(WRITE, EXTENSIONS, [
      'daemonsets',
      'deployments',
      'deployments/scale',
      'deployments/rollback',
      'ingresses',
      'replicasets',
      'replicasets/scale',
      'replicationcontrollers/scale',
      'networkpolicies',
    ]),
    rule(WRITE, POLICY, ['poddisruptionbudgets']),
    rule(WRITE, NETWORKING, ['networkpolicies', 'ingresses']),
    rule(READ_WRITE, COORDINATION, ['leases']),
  ];
}

const HEALTH = ['/livez', '/readyz', '/healthz'];
const SIGNER = (name: string) => `kubernetes.io/${name}`;

function approver(name: string, signer: string): ClusterRole {
  return clusterRole(`system:certificates.k8s.io:${name}`, [rule('approve', CERTIFICATES, ['signers'], [signer])]);
}

export function bootstrapClusterRoles(): ClusterRole[] {
  return [
    clusterRole('cluster-admin', [rule('*', '*', ['*']), urls('*', ['*'])]),
    clusterRole('system:discovery', [urls('get', [...HEALTH, '/version', '/version/', '/openapi', '/openapi/*', '/api', '/api/*', '/apis', '/apis/*'])]),
    clusterRole('system:monitoring', [urls('get', ['/metrics', '/metrics/slis', ...HEALTH, '/livez/*', '/readyz/*', '/healthz/*'])]),
    clusterRole('system:basic-user', [
      rule('create', AUTHORIZATION, ['selfsubjectaccessreviews', 'selfsubjectrulesreviews']),
      rule('create', AUTHENTICATION, ['selfsubjectreviews']),
    ]),
    clusterRole('system:public-info-viewer', [urls('get', [...HEALTH, '/version', '/version/'])]),
    clusterRole('admin', [], { aggregateFrom: AGGREGATE_TO('admin') }),
    clusterRole('edit', [], { aggregateFrom: AGGREGATE_TO('edit'), labels: { [AGGREGATE_TO('admin')]: 'true' } }),
    clusterRole('view', [], { aggregateFrom: AGGREGATE_TO('view'), labels: { [AGGREGATE_TO('edit')]: 'true' } }),
    clusterRole(
      'system:aggregate-to-admin',
      [rule('create', AUTHORIZATION, ['localsubjectaccessreviews']), rule(READ_WRITE, RBAC, ['roles', 'rolebindings'])],
      {
        labels: { [AGGREGATE_TO('admin')]: 'true' },
      },
    ),
    clusterRole('system:aggregate-to-edit', editRules(), { labels: { [AGGREGATE_TO('edit')]: 'true' } }),
    clusterRole('system:aggregate-to-view', viewRules(), { labels: { [AGGREGATE_TO('view')]: 'true' } }),
    clusterRole('system:heapster', [rule(READ, LEGACY, ['events', 'pods', 'nodes', 'namespaces']), rule(READ, [EXTENSIONS, APPS], ['deployments'])]),
    clusterRole('system:node', nodeRules()),
    clusterRole('system:node-problem-detector', [rule('get', LEGACY, ['nodes']), rule('patch', LEGACY, ['nodes/status']), eventsRule()]),
    clusterRole('system:kubelet-api-admin', [
      rule(['get', 'list', 'watch'], LEGACY, ['nodes']),
      rule('proxy', LEGACY, ['nodes']),
      rule('*', LEGACY, [
        'nodes/proxy',
        'nodes/metrics',
        'nodes/stats',
        'nodes/log',
        'nodes/spec',
        'nodes/checkpoint',
        'nodes/configz',
        'nodes/healthz',
        'nodes/pods',
      ]),
    ]),
    clusterRole('system:node-bootstrapper', [rule(['create', 'get', 'list', 'watch'], CERTIFICATES, ['certificatesigningrequests'])]),
    clusterRole('system:auth-delegator', [rule('create', AUTHENTICATION, ['tokenreviews']), rule('create', AUTHORIZATION, ['subjectaccessreviews'])]),
    clusterRole('system:kube-aggregator', [rule(READ, LEGACY, ['endpoints', 'services'])]),
    clusterRole('system:kube-controller-manager', kubeControllerManagerRules()),
    clusterRole('system:kube-dns', [rule(['list', 'watch'], LEGACY, ['endpoints', 'services']), rule(['list', 'watch'], DISCOVERY, ['endpointslices'])]),
    // kubeadm's CoreDNS addon role, and what k8ts's DNS server needs to publish where it listens
    clusterRole('system:coredns', [
      rule(['list', 'watch'], LEGACY, ['endpoints', 'services', 'pods', 'namespaces']),
      rule(['list', 'watch'], DISCOVERY, ['endpointslices']),
    ]),
    clusterRole('system:k8ts:kube-dns-publisher', [
      rule(['get', 'list', 'watch', 'create'], LEGACY, ['services', 'endpoints']),
      rule(['get', 'list', 'watch', 'create'], DISCOVERY, ['endpointslices']),
      rule(['update', 'patch'], LEGACY, ['services', 'endpoints'], ['kube-dns']),
      rule(['update', 'patch'], DISCOVERY, ['endpointslices'], ['kube-dns']),
    ]),
    clusterRole('system:persistent-volume-provisioner', [
      rule(['get', 'list', 'watch', 'create', 'delete'], LEGACY, ['persistentvolumes']),
      rule(['get', 'list', 'watch', 'update'], LEGACY, ['persistentvolumeclaims']),
      rule(READ, STORAGE, ['storageclasses']),
      rule(['watch'], LEGACY, ['events']),
      eventsRule(),
    ]),
    clusterRole('system:certificates.k8s.io:certificatesigningrequests:nodeclient', [rule('create', CERTIFICATES, ['certificatesigningrequests/nodeclient'])]),
    clusterRole('system:certificates.k8s.io:certificatesigningrequests:selfnodeclient', [
      rule('create', CERTIFICATES, ['certificatesigningrequests/selfnodeclient']),
    ]),
    clusterRole('system:volume-scheduler', volumeSchedulerRules()),
    // kubeadm's: a joining node checks that no Ready Node holds its name yet
    clusterRole('kubeadm:get-nodes', [rule('get', LEGACY, ['nodes'])]),
    approver('legacy-unknown-approver', SIGNER('legacy-unknown')),
    approver('kubelet-serving-approver', SIGNER('kubelet-serving')),
    approver('kube-apiserver-client-approver', SIGNER('kube-apiserver-client')),
    approver('kube-apiserver-client-kubelet-approver', SIGNER('kube-apiserver-client-kubelet')),
    clusterRole('system:service-account-issuer-discovery', [
      urls('get', ['/.well-known/openid-configuration', '/.well-known/openid-configuration/', '/openid/v1/jwks', '/openid/v1/jwks/']),
    ]),
    clusterRole('system:node-proxier', [
      rule(['list', 'watch'], LEGACY, ['services', 'endpoints']),
      rule(['get', 'list', 'watch'], LEGACY, ['nodes']),
      eventsRule(),
      rule(['list', 'watch'], DISCOVERY, ['endpointslices']),
    ]),
    clusterRole('system:kube-scheduler', kubeSchedulerRules()),
    ...controllerRoles.map((c) => clusterRole(`system:controller:${c.name}`, c.rules)),
  ];
}

export function bootstrapClusterRoleBindings(): ClusterRoleBinding[] {
  return [
    binding('cluster-admin', 'cluster-admin', [group('system:masters')]),
    // kubeadm's: the API server's kubelet client certificate (O kubeadm:cluster-admins) is a cluster admin
    binding('kubeadm:cluster-admins', 'cluster-admin', [group('kubeadm:cluster-admins')]),
    binding('system:monitoring', 'system:monitoring', [group('system:monitoring')]),
    binding('system:discovery', 'system:discovery', [group('system:authenticated')]),
    binding('system:basic-user', 'system:basic-user', [group('system:authenticated')]),
    binding('system:public-info-viewer', 'system:public-info-viewer', [group('system:authenticated'), group('system:unauthenticated')]),
    binding('system:node-proxier', 'system:node-proxier', [user('system:kube-proxy')]),
    // k8ts: a node agent's in-process proxy reads Services and EndpointSlices with the node's own identity
    binding('k8ts:node-proxier', 'system:node-proxier', [group('system:nodes')]),
    binding('system:kube-controller-manager', 'system:kube-controller-manager', [user('system:kube-controller-manager')]),
    binding('system:kube-dns', 'system:kube-dns', [serviceAccount('kube-system', 'kube-dns')]),
    binding('system:coredns', 'system:coredns', [serviceAccount('kube-system', 'coredns')]),
    binding('system:k8ts:kube-dns-publisher', 'system:k8ts:kube-dns-publisher', [serviceAccount('kube-system', 'coredns')]),
    binding('system:kube-scheduler', 'system:kube-scheduler', [user('system:kube-scheduler')]),
    binding('system:volume-scheduler', 'system:volume-scheduler', [user('system:kube-scheduler')]),
    // the Node authorizer grants nodes these rules; upstream keeps the binding, with no subjects
    binding('system:node', 'system:node', []),
    binding('system:service-account-issuer-discovery', 'system:service-account-issuer-discovery', [group('system:serviceaccounts')]),
    // kubeadm's kubelet-bootstrap binding: bootstrap tokens may ask for a node client certificate
    binding('system:node-bootstrapper', 'system:node-bootstrapper', [group('system:bootstrappers')]),
    binding('system:certificates.k8s.io:certificatesigningrequests:nodeclient', 'system:certificates.k8s.io:certificatesigningrequests:nodeclient', [
      group('system:bootstrappers'),
    ]),
    binding('system:certificates.k8s.io:certificatesigningrequests:selfnodeclient', 'system:certificates.k8s.io:certificatesigningrequests:selfnodeclient', [
      group('system:nodes'),
    ]),
    // kubeadm's bindings for its default node token group (bootstrap-token phase), and for nodes renewing
    binding('kubeadm:get-nodes', 'kubeadm:get-nodes', [group('system:bootstrappers:kubeadm:default-node-token')]),
    binding('kubeadm:kubelet-bootstrap', 'system:node-bootstrapper', [group('system:bootstrappers:kubeadm:default-node-token')]),
    binding('kubeadm:node-autoapprove-bootstrap', 'system:certificates.k8s.io:certificatesigningrequests:nodeclient', [
      group('system:bootstrappers:kubeadm:default-node-token'),
    ]),
    binding('kubeadm:node-autoapprove-certificate-rotation', 'system:certificates.k8s.io:certificatesigningrequests:selfnodeclient', [group('system:nodes')]),
    ...controllerRoles.map((c) => binding(`system:controller:${c.name}`, `system:controller:${c.name}`, [serviceAccount('kube-system', c.name)])),
  ];
}
