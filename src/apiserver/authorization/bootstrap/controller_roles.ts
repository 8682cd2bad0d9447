// The bootstrap `system:controller:<name>` ClusterRoles (upstream bootstrappolicy/controller_policy.go), each
// bound to the ServiceAccount kube-system/<name>. k8ts runs its controllers in one process under one identity,
// so the system:kube-controller-manager role (cluster_roles.ts) is also the union of these.
import type { PolicyRule } from '../../../api/rbac/v1/types.js';
import { APPS, AUTHORIZATION, AUTOSCALING, BATCH, CERTIFICATES, DISCOVERY, EXTENSIONS, LEGACY, POLICY, RBAC, READ, eventsRule, rule } from './rules.js';

export interface ControllerRole {
  /** The controller's name: the role is system:controller:<name>, bound to kube-system/<name>. */
  name: string;
  rules: PolicyRule[];
}

const SIGNERS_APPROVE = [
  'kubernetes.io/kube-apiserver-client',
  'kubernetes.io/kube-apiserver-client-kubelet',
  'kubernetes.io/kubelet-serving',
  'kubernetes.io/legacy-unknown',
];

export const controllerRoles: ControllerRole[] = [
  { name: 'clusterrole-aggregation-controller', rules: [rule(['escalate', 'get', 'list', 'watch', 'update', 'patch'], RBAC, ['clusterroles'])] },
  {
    name: 'cronjob-controller',
    rules: [
      rule(['get', 'list', 'watch', 'update'], BATCH, ['cronjobs']),
      rule(['get', 'list', 'watch', 'create', 'update', 'delete', 'patch'], BATCH, ['jobs']),
      rule('update', BATCH, ['cronjobs/status', 'cronjobs/finalizers']),
      rule(['list', 'delete'], LEGACY, ['pods']),
      eventsRule(),
    ],
  },
  {
    name: 'daemon-set-controller',
    rules: [
      rule(READ, [APPS, EXTENSIONS], ['daemonsets']),
      rule('update', [APPS, EXTENSIONS], ['daemonsets/status', 'daemonsets/finalizers']),
      rule(['list', 'watch'], LEGACY, ['nodes']),
      rule(['list', 'watch', 'create', 'delete', 'patch'], LEGACY, ['pods']),
      rule('create', LEGACY, ['pods/binding']),
      rule(['get', 'list', 'watch', 'create', 'delete', 'update', 'patch'], APPS, ['controllerrevisions']),
      eventsRule(),
    ],
  },
  {
    name: 'deployment-controller',
    rules: [
      rule(['get', 'list', 'watch', 'update'], [EXTENSIONS, APPS], ['deployments']),
      rule('update', [EXTENSIONS, APPS], ['deployments/status', 'deployments/finalizers']),
      rule(['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'], [APPS, EXTENSIONS], ['replicasets']),
      rule(['get', 'list', 'watch', 'update'], LEGACY, ['pods']),
      eventsRule(),
    ],
  },
  {
    name: 'disruption-controller',
    rules: [
      rule(READ, [EXTENSIONS, APPS], ['deployments', 'replicasets', 'statefulsets']),
      rule(READ, LEGACY, ['replicationcontrollers', 'pods']),
      rule(READ, POLICY, ['poddisruptionbudgets']),
      rule('get', '*', ['*/scale']),
      rule('update', POLICY, ['poddisruptionbudgets/status']),
      rule('patch', LEGACY, ['pods/status']),
      eventsRule(),
    ],
  },
  {
    name: 'endpoint-controller',
    rules: [
      rule(READ, LEGACY, ['services', 'pods']),
      rule(['get', 'list', 'create', 'update', 'delete'], LEGACY, ['endpoints']),
      rule('create', LEGACY, ['endpoints/restricted']),
      eventsRule(),
    ],
  },
  {
    name: 'endpointslice-controller',
    rules: [
      rule(READ, LEGACY, ['services', 'pods', 'nodes']),
      rule(['update'], LEGACY, ['services/finalizers']),
      rule(['get', 'list', 'create', 'update', 'delete'], DISCOVERY, ['endpointslices']),
      eventsRule(),
    ],
  },
  {
    name: 'endpointslicemirroring-controller',
    rules: [
      rule(READ, LEGACY, ['services', 'endpoints']),
      rule(['update'], LEGACY, ['services/finalizers', 'endpoints/finalizers']),
      rule(['get', 'list', 'create', 'update', 'delete'], DISCOVERY, ['endpointslices']),
      eventsRule(),
    ],
  },
  { name: 'generic-garbage-collector', rules: [rule(['get', 'list', 'watch', 'patch', 'update', 'delete'], '*', ['*']), eventsRule()] },
  {
    name: 'horizontal-pod-autoscaler',
    rules: [
      rule(READ, AUTOSCALING, ['horizontalpodautoscalers']),
      rule('update', AUTOSCALING, ['horizontalpodautoscalers/status']),
      rule(['get', 'update'], '*', ['*/scale']),
      rule('list', LEGACY, ['pods']),
      rule('list', 'metrics.k8s.io', ['pods']),
      rule(['get', 'list'], 'custom.metrics.k8s.io', ['*']),
      rule(['get', 'list'], 'external.metrics.k8s.io', ['*']),
      eventsRule(),
    ],
  },
  {
    name: 'job-controller',
    rules: [
      rule(['get', 'list', 'watch', 'update', 'patch'], BATCH, ['jobs']),
      rule('update', BATCH, ['jobs/status', 'jobs/finalizers']),
      rule(['list', 'watch', 'create', 'delete', 'patch'], LEGACY, ['pods']),
      eventsRule(),
    ],
  },
  {
    name: 'namespace-controller',
    rules: [
      rule(['get', 'list', 'watch', 'delete'], LEGACY, ['namespaces']),
      rule('update', LEGACY, ['namespaces/finalize', 'namespaces/status']),
      rule(['get', 'list', 'delete', 'deletecollection'], '*', ['*']),
    ],
  },
  {
    name: 'node-controller',
    rules: [
      rule(['get', 'list', 'update', 'delete', 'patch'], LEGACY, ['nodes']),
      rule(['patch', 'update'], LEGACY, ['nodes/status']),
      rule(['patch', 'update'], LEGACY, ['pods/status']),
      rule(['list', 'delete'], LEGACY, ['pods']),
      eventsRule(),
    ],
  },
  {
    name: 'pod-garbage-collector',
    rules: [rule(['list', 'watch', 'delete'], LEGACY, ['pods']), rule(READ, LEGACY, ['nodes']), rule('patch', LEGACY, ['pods/status'])],
  },
  {
    name: 'replicaset-controller',
    rules: [
      rule(['get', 'list', 'watch', 'update'], [APPS, EXTENSIONS], ['replicasets']),
      rule('update', [APPS, EXTENSIONS], ['replicasets/status', 'replicasets/finalizers']),
      rule(['list', 'watch', 'patch', 'create', 'delete'], LEGACY, ['pods']),
      eventsRule(),
    ],
  },
  {
    name: 'replication-controller',
    rules: [
      rule(['get', 'list', 'watch', 'update'], LEGACY, ['replicationcontrollers']),
      rule('update', LEGACY, ['replicationcontrollers/status', 'replicationcontrollers/finalizers']),
      rule(['list', 'watch', 'patch', 'create', 'delete'], LEGACY, ['pods']),
      eventsRule(),
    ],
  },
  {
    name: 'resourcequota-controller',
    rules: [rule(['list', 'watch'], '*', ['*']), rule('update', LEGACY, ['resourcequotas/status']), eventsRule()],
  },
  { name: 'service-account-controller', rules: [rule('create', LEGACY, ['serviceaccounts']), eventsRule()] },
  {
    name: 'statefulset-controller',
    rules: [
      rule(['list', 'watch'], LEGACY, ['pods']),
      rule(['get', 'create', 'delete', 'update', 'patch'], LEGACY, ['pods']),
      rule(READ, APPS, ['statefulsets']),
      rule('update', APPS, ['statefulsets/status', 'statefulsets/finalizers']),
      rule(['get', 'create', 'delete', 'update', 'patch', 'list', 'watch'], APPS, ['controllerrevisions']),
      rule(['get', 'create'], LEGACY, ['persistentvolumeclaims']),
      rule(['update', 'delete'], LEGACY, ['persistentvolumeclaims']),
      eventsRule(),
    ],
  },
  { name: 'ttl-controller', rules: [rule(['update', 'patch', 'list', 'watch'], LEGACY, ['nodes']), eventsRule()] },
  {
    name: 'certificate-controller',
    rules: [
      rule(['get', 'list', 'watch', 'delete'], CERTIFICATES, ['certificatesigningrequests']),
      rule('update', CERTIFICATES, ['certificatesigningrequests/status', 'certificatesigningrequests/approval']),
      rule('approve', CERTIFICATES, ['signers'], SIGNERS_APPROVE),
      rule('sign', CERTIFICATES, ['signers'], [...SIGNERS_APPROVE.slice(0, 3), 'kubernetes.io/legacy-unknown']),
      rule('create', AUTHORIZATION, ['subjectaccessreviews']),
      eventsRule(),
    ],
  },
  { name: 'ttl-after-finished-controller', rules: [rule(['get', 'list', 'watch', 'delete'], BATCH, ['jobs']), eventsRule()] },
  { name: 'root-ca-cert-publisher', rules: [rule(['create', 'update'], LEGACY, ['configmaps']), eventsRule()] },
  {
    name: 'legacy-service-account-token-cleaner',
    rules: [rule('get', LEGACY, ['configmaps'], ['kube-apiserver-legacy-service-account-token-tracking']), rule(['patch', 'delete'], LEGACY, ['secrets'])],
  },
  {
    name: 'pvc-protection-controller',
    rules: [rule(['get', 'list', 'watch', 'update'], LEGACY, ['persistentvolumeclaims']), rule(['list', 'watch', 'get'], LEGACY, ['pods']), eventsRule()],
  },
  {
    name: 'ephemeral-volume-controller',
    rules: [
      rule(READ, LEGACY, ['pods']),
      rule('update', LEGACY, ['pods/finalizers']),
      rule(['get', 'list', 'watch', 'create'], LEGACY, ['persistentvolumeclaims']),
      eventsRule(),
    ],
  },
  {
    name: 'validatingadmissionpolicy-status-controller',
    rules: [
      rule(READ, 'admissionregistration.k8s.io', ['validatingadmissionpolicies']),
      rule(['get', 'patch', 'update'], 'admissionregistration.k8s.io', ['validatingadmissionpolicies/status']),
      eventsRule(),
    ],
  },
];
