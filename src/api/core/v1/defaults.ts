// Upstream defaulting for core/v1 kinds (SetDefaults_* in pkg/apis/core/v1 plus what admission/strategy
// fills on create: serviceAccountName, priority, pod status). Functions mutate their argument and return it.
import { tryParseQuantity } from '../../quantity.js';
import { computeQOSClass } from './qos.js';
import type {
  ConfigMap,
  Container,
  Event,
  Lease,
  Namespace,
  Node,
  ObjectFieldSelector,
  Pod,
  PodSpec,
  PodTemplateSpec,
  ReplicationController,
  Probe,
  PullPolicy,
  ResourceList,
  Secret,
  ServiceAccount,
  Volume,
  HTTPGetAction,
  LifecycleHandler,
  DownwardAPIVolumeFile,
} from './types.js';

export { computeQOSClass } from './qos.js';

export const DefaultTerminationGracePeriodSeconds = 30;
export const DefaultSchedulerName = 'default-scheduler';
export const DefaultTerminationMessagePath = '/dev/termination-log';
export const DefaultVolumeMode = 0o644; // 420
export const DefaultServiceAccountName = 'default';
export const NamespaceFinalizerKubernetes = 'kubernetes';
export const LabelMetadataName = 'kubernetes.io/metadata.name';

/** Splits an image reference into its tag (after the last ':' of the last path element) and digest. */
export function parseImageRef(image: string): { name: string; tag: string; digest: string } {
  let rest = image;
  let digest = '';
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  const slash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  let tag = '';
  if (colon > slash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  return { name: rest, tag, digest };
}

/** Always for `:latest` or untagged (digest-less) images, else IfNotPresent. */
export function defaultImagePullPolicy(image: string | undefined): PullPolicy {
  const { tag, digest } = parseImageRef(image ?? '');
  if (tag === 'latest') return 'Always';
  if (tag === '' && digest === '') return 'Always';
  return 'IfNotPresent';
}

function canonicalizeList(list: ResourceList | undefined): void {
  if (!list) return;
  for (const [k, v] of Object.entries(list)) {
    const q = tryParseQuantity(v);
    if (q) list[k] = q.toString();
  }
}

function defaultObjectFieldSelector(f: ObjectFieldSelector | undefined): void {
  if (f && !f.apiVersion) f.apiVersion = 'v1';
}

function defaultHTTPGet(h: HTTPGetAction | undefined): void {
  if (!h) return;
  if (!h.path) h.path = '/';
  if (!h.scheme) h.scheme = 'HTTP';
}

function defaultProbe(p: Probe | undefined): void {
  if (!p) return;
  if (!p.timeoutSeconds) p.timeoutSeconds = 1;
  if (!p.periodSeconds) p.periodSeconds = 10;
  if (!p.successThreshold) p.successThreshold = 1;
  if (!p.failureThreshold) p.failureThreshold = 3;
  defaultHTTPGet(p.httpGet);
  if (p.grpc && p.grpc.service === undefined) p.grpc.service = '';
}

function defaultLifecycleHandler(h: LifecycleHandler | undefined): void {
  if (h) defaultHTTPGet(h.httpGet);
}

export function setDefaultsContainer(c: Container, hostNetwork = false): Container {
  if (!c.imagePullPolicy) c.imagePullPolicy = defaultImagePullPolicy(c.image);
  if (!c.terminationMessagePath) c.terminationMessagePath = DefaultTerminationMessagePath;
  if (!c.terminationMessagePolicy) c.terminationMessagePolicy = 'File';
  for (const p of c.ports ?? []) {
    if (!p.protocol) p.protocol = 'TCP';
    if (hostNetwork && !p.hostPort && p.containerPort) p.hostPort = p.containerPort;
  }
  for (const e of c.env ?? []) {
    defaultObjectFieldSelector(e.valueFrom?.fieldRef);
    const rf = e.valueFrom?.resourceFieldRef;
    if (rf && rf.divisor === undefined) rf.divisor = '0';
  }
  // A limit without a request means request = limit (upstream SetDefaults_Pod).
  const res = c.resources;
  if (res?.limits) {
    res.requests ??= {};
    for (const [k, v] of Object.entries(res.limits)) if (!(k in res.requests)) res.requests[k] = v;
  }
  if (res) {
    canonicalizeList(res.limits);
    canonicalizeList(res.requests);
  }
  defaultProbe(c.livenessProbe);
  defaultProbe(c.readinessProbe);
  defaultProbe(c.startupProbe);
  defaultLifecycleHandler(c.lifecycle?.postStart);
  defaultLifecycleHandler(c.lifecycle?.preStop);
  return c;
}

function defaultDownwardItems(items: DownwardAPIVolumeFile[] | undefined): void {
  for (const it of items ?? []) {
    defaultObjectFieldSelector(it.fieldRef);
    if (it.resourceFieldRef && it.resourceFieldRef.divisor === undefined) it.resourceFieldRef.divisor = '0';
  }
}

const knownVolumeSources = [
  'hostPath',
  'emptyDir',
  'gcePersistentDisk',
  'awsElasticBlockStore',
  'gitRepo',
  'secret',
  'nfs',
  'iscsi',
  'glusterfs',
  'persistentVolumeClaim',
  'rbd',
  'flexVolume',
  'cinder',
  'cephfs',
  'flocker',
  'downwardAPI',
  'fc',
  'azureFile',
  'configMap',
  'vsphereVolume',
  'quobyte',
  'azureDisk',
  'photonPersistentDisk',
  'projected',
  'portworxVolume',
  'scaleIO',
  'storageos',
  'csi',
  'ephemeral',
  'image',
];

/** Names of the volume sources set on a volume (upstream has exactly one). */
export function volumeSourceNames(v: Volume): string[] {
  return knownVolumeSources.filter((k) => v[k] !== undefined && v[k] !== null);
}

export function setDefaultsVolume(v: Volume): Volume {
  if (volumeSourceNames(v).length === 0) v.emptyDir = {};
  if (v.secret && v.secret.defaultMode === undefined) v.secret.defaultMode = DefaultVolumeMode;
  if (v.configMap && v.configMap.defaultMode === undefined) v.configMap.defaultMode = DefaultVolumeMode;
  if (v.downwardAPI) {
    if (v.downwardAPI.defaultMode === undefined) v.downwardAPI.defaultMode = DefaultVolumeMode;
    defaultDownwardItems(v.downwardAPI.items);
  }
  if (v.projected) {
    if (v.projected.defaultMode === undefined) v.projected.defaultMode = DefaultVolumeMode;
    for (const s of v.projected.sources ?? []) {
      defaultDownwardItems(s.downwardAPI?.items);
      if (s.serviceAccountToken && s.serviceAccountToken.expirationSeconds === undefined) s.serviceAccountToken.expirationSeconds = 3600;
    }
  }
  if (v.hostPath && v.hostPath.type === undefined) v.hostPath.type = '';
  if (v.emptyDir && v.emptyDir.sizeLimit !== undefined) {
    const q = tryParseQuantity(v.emptyDir.sizeLimit);
    if (q) v.emptyDir.sizeLimit = q.toString();
  }
  return v;
}

export function setDefaultsPodSpec(spec: PodSpec): PodSpec {
  if (!spec.dnsPolicy) spec.dnsPolicy = 'ClusterFirst';
  if (!spec.restartPolicy) spec.restartPolicy = 'Always';
  if (!spec.securityContext) spec.securityContext = {};
  if (spec.terminationGracePeriodSeconds === undefined || spec.terminationGracePeriodSeconds === null)
    spec.terminationGracePeriodSeconds = DefaultTerminationGracePeriodSeconds;
  if (!spec.schedulerName) spec.schedulerName = DefaultSchedulerName;
  if (spec.enableServiceLinks === undefined) spec.enableServiceLinks = true;
  // ServiceAccount admission + v1 conversion of the deprecated alias.
  if (!spec.serviceAccountName) spec.serviceAccountName = spec.serviceAccount || DefaultServiceAccountName;
  spec.serviceAccount = spec.serviceAccountName;
  // Priority admission (no PriorityClass objects in k8ts).
  if (spec.priority === undefined) spec.priority = 0;
  if (!spec.preemptionPolicy) spec.preemptionPolicy = 'PreemptLowerPriority';
  const hostNetwork = !!spec.hostNetwork;
  if (!Array.isArray(spec.containers)) spec.containers = [];
  for (const c of spec.initContainers ?? []) setDefaultsContainer(c, hostNetwork);
  for (const c of spec.containers) setDefaultsContainer(c, hostNetwork);
  for (const c of spec.ephemeralContainers ?? []) setDefaultsContainer(c, hostNetwork);
  for (const v of spec.volumes ?? []) setDefaultsVolume(v);
  canonicalizeList(spec.overhead);
  return spec;
}

/** Defaults a Pod (spec only; status is left alone). */
export function setDefaultsPod(pod: Pod): Pod {
  pod.apiVersion ??= 'v1';
  pod.kind ??= 'Pod';
  pod.spec ??= { containers: [] };
  setDefaultsPodSpec(pod.spec);
  return pod;
}

/** What the API server does on create: defaults, then status = {phase: Pending, qosClass}. */
export function preparePodForCreate(pod: Pod): Pod {
  setDefaultsPod(pod);
  pod.status = { phase: 'Pending', qosClass: computeQOSClass(pod) };
  return pod;
}

export function setDefaultsNamespace(ns: Namespace, create = true): Namespace {
  ns.apiVersion ??= 'v1';
  ns.kind ??= 'Namespace';
  const name = ns.metadata?.name;
  if (name) {
    ns.metadata.labels ??= {};
    ns.metadata.labels[LabelMetadataName] = name;
  }
  if (create) {
    ns.spec ??= {};
    if (!ns.spec.finalizers || ns.spec.finalizers.length === 0) ns.spec.finalizers = [NamespaceFinalizerKubernetes];
  }
  ns.status ??= {};
  if (!ns.status.phase) ns.status.phase = 'Active';
  return ns;
}

/** Secret: type Opaque; stringData is merged into data (base64) and dropped, as v1 conversion does. */
export function setDefaultsSecret(s: Secret): Secret {
  s.apiVersion ??= 'v1';
  s.kind ??= 'Secret';
  if (!s.type) s.type = 'Opaque';
  if (s.stringData && typeof s.stringData === 'object') {
    s.data ??= {};
    for (const [k, v] of Object.entries(s.stringData)) s.data[k] = Buffer.from(String(v), 'utf8').toString('base64');
    delete s.stringData;
  }
  return s;
}

export function setDefaultsConfigMap(cm: ConfigMap): ConfigMap {
  cm.apiVersion ??= 'v1';
  cm.kind ??= 'ConfigMap';
  return cm;
}

/** Node: allocatable defaults to capacity; podCIDR and podCIDRs[0] kept in sync; quantities canonical. */
export function setDefaultsNode(n: Node): Node {
  n.apiVersion ??= 'v1';
  n.kind ??= 'Node';
  const spec = n.spec;
  if (spec) {
    if (spec.podCIDR && (!spec.podCIDRs || spec.podCIDRs.length === 0)) spec.podCIDRs = [spec.podCIDR];
    else if (!spec.podCIDR && spec.podCIDRs && spec.podCIDRs.length > 0) spec.podCIDR = spec.podCIDRs[0];
  } else {
    n.spec = {};
  }
  const st = n.status;
  if (st) {
    canonicalizeList(st.capacity);
    if (st.capacity && !st.allocatable) st.allocatable = { ...st.capacity };
    canonicalizeList(st.allocatable);
  }
  return n;
}

export function setDefaultsServiceAccount(sa: ServiceAccount): ServiceAccount {
  sa.apiVersion ??= 'v1';
  sa.kind ??= 'ServiceAccount';
  return sa;
}

/** Event: reportingComponent/reportingInstance are always serialised (as "" when unset). */
export function setDefaultsEvent(ev: Event): Event {
  ev.apiVersion ??= 'v1';
  ev.kind ??= 'Event';
  ev.involvedObject ??= {};
  if (ev.reportingComponent === undefined) ev.reportingComponent = '';
  if (ev.reportingInstance === undefined) ev.reportingInstance = '';
  return ev;
}

export function setDefaultsLease(l: Lease): Lease {
  l.apiVersion ??= 'coordination.k8s.io/v1';
  l.kind ??= 'Lease';
  return l;
}

/** What only pods get (upstream SetDefaults_Pod and the ServiceAccount and Priority admission), never a workload's template. */
const POD_ONLY_FIELDS = ['serviceAccountName', 'serviceAccount', 'priority', 'preemptionPolicy', 'enableServiceLinks'] as const;

/** The defaults of a pod template's spec (upstream SetDefaults_PodSpec, containers, volumes), without the pod-only ones. */
export function setDefaultsTemplatePodSpec(spec: PodSpec): PodSpec {
  const sent = Object.fromEntries(POD_ONLY_FIELDS.map((k) => [k, spec[k]])) as Pick<PodSpec, (typeof POD_ONLY_FIELDS)[number]>;
  setDefaultsPodSpec(spec);
  for (const k of POD_ONLY_FIELDS) if (sent[k] === undefined) delete spec[k];
  // v1's deprecated serviceAccount mirrors serviceAccountName (either one sent sets both)
  const sa = sent.serviceAccountName || sent.serviceAccount;
  if (sa) spec.serviceAccountName = spec.serviceAccount = sa;
  return spec;
}

export function setDefaultsPodTemplateSpec(t: PodTemplateSpec | undefined): void {
  if (!t || typeof t !== 'object') return;
  t.spec ??= { containers: [] };
  setDefaultsTemplatePodSpec(t.spec);
}

/** An RC without a selector selects its template's labels; without labels it carries them too (upstream). */
export function setDefaultsReplicationController(rc: ReplicationController): ReplicationController {
  rc.apiVersion ??= 'v1';
  rc.kind ??= 'ReplicationController';
  const spec = (rc.spec ??= {});
  const tplLabels = spec.template?.metadata?.labels;
  if (tplLabels && Object.keys(tplLabels).length > 0) {
    if (!spec.selector || Object.keys(spec.selector).length === 0) spec.selector = { ...tplLabels };
    if (!rc.metadata.labels || Object.keys(rc.metadata.labels).length === 0) rc.metadata.labels = { ...tplLabels };
  }
  if (spec.replicas === undefined || spec.replicas === null) spec.replicas = 1;
  setDefaultsPodTemplateSpec(spec.template);
  return rc;
}
