// Unit tests for src/api/core/v1/defaults.ts and qos.ts: Pod/Namespace/Secret/Node/Event defaulting and QoS classes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as d from '../../../src/api/core/v1/defaults.js';
import type { Container, Pod } from '../../../src/api/core/v1/types.js';

function pod(containers: Partial<Container>[], extra: Record<string, unknown> = {}): Pod {
  return { metadata: { name: 'p', namespace: 'default' }, spec: { containers: containers as Container[], ...extra } } as Pod;
}

test('image pull policy from the image reference', () => {
  assert.equal(d.defaultImagePullPolicy('nginx'), 'Always');
  assert.equal(d.defaultImagePullPolicy('nginx:latest'), 'Always');
  assert.equal(d.defaultImagePullPolicy('nginx:1.25'), 'IfNotPresent');
  assert.equal(d.defaultImagePullPolicy('localhost:5000/nginx'), 'Always');
  assert.equal(d.defaultImagePullPolicy('localhost:5000/nginx:v1'), 'IfNotPresent');
  assert.equal(d.defaultImagePullPolicy('nginx@sha256:abcd'), 'IfNotPresent');
  assert.equal(d.defaultImagePullPolicy('nginx:latest@sha256:abcd'), 'Always');
  assert.deepEqual(d.parseImageRef('reg:5000/a/b:t@sha256:x'), { name: 'reg:5000/a/b', tag: 't', digest: 'sha256:x' });
});

test('pod spec and container defaults', () => {
  const p = pod(
    [
      {
        name: 'c',
        image: 'busybox:1.36',
        ports: [{ containerPort: 80 }],
        env: [
          { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
          { name: 'CPU', valueFrom: { resourceFieldRef: { resource: 'limits.cpu' } } },
        ],
        livenessProbe: { httpGet: { port: 80 } },
        readinessProbe: { exec: { command: ['true'] }, periodSeconds: 3 },
        startupProbe: { grpc: { port: 9000 } },
      },
    ],
    { initContainers: [{ name: 'i', image: 'busybox' }] },
  );
  d.setDefaultsPod(p);
  const s = p.spec!;
  assert.equal(s.restartPolicy, 'Always');
  assert.equal(s.terminationGracePeriodSeconds, 30);
  assert.equal(s.dnsPolicy, 'ClusterFirst');
  assert.equal(s.schedulerName, 'default-scheduler');
  assert.deepEqual(s.securityContext, {});
  assert.equal(s.enableServiceLinks, true);
  assert.equal(s.priority, 0);
  assert.equal(s.serviceAccountName, 'default');
  assert.equal(s.serviceAccount, 'default');
  assert.equal(s.tolerations, undefined, 'no not-ready/unreachable tolerations are added');
  const c = s.containers[0]!;
  assert.equal(c.imagePullPolicy, 'IfNotPresent');
  assert.equal(c.terminationMessagePath, '/dev/termination-log');
  assert.equal(c.terminationMessagePolicy, 'File');
  assert.equal(c.ports![0]!.protocol, 'TCP');
  assert.equal(c.ports![0]!.hostPort, undefined);
  assert.equal(c.env![0]!.valueFrom!.fieldRef!.apiVersion, 'v1');
  assert.equal(c.env![1]!.valueFrom!.resourceFieldRef!.divisor, '0');
  assert.deepEqual(c.livenessProbe, {
    httpGet: { port: 80, path: '/', scheme: 'HTTP' },
    timeoutSeconds: 1,
    periodSeconds: 10,
    successThreshold: 1,
    failureThreshold: 3,
  });
  assert.equal(c.readinessProbe!.periodSeconds, 3, 'explicit values are kept');
  assert.equal(c.startupProbe!.grpc!.service, '');
  const i = s.initContainers![0]!;
  assert.equal(i.imagePullPolicy, 'Always');
  assert.equal(i.terminationMessagePolicy, 'File');
});

test('pod template defaults: SetDefaults_PodSpec without what only pods get', () => {
  const t = { spec: { containers: [{ name: 'c', image: 'busybox:1.35' }] } };
  d.setDefaultsPodTemplateSpec(t as never);
  const s = t.spec as Record<string, unknown>;
  assert.equal(s.dnsPolicy, 'ClusterFirst');
  assert.equal(s.restartPolicy, 'Always');
  assert.equal(s.schedulerName, 'default-scheduler');
  assert.equal(s.terminationGracePeriodSeconds, 30);
  assert.deepEqual(s.securityContext, {});
  for (const k of ['serviceAccountName', 'serviceAccount', 'priority', 'preemptionPolicy', 'enableServiceLinks']) assert.equal(s[k], undefined, k);
  // sent values stay; the deprecated serviceAccount alias and serviceAccountName mirror each other
  const a = d.setDefaultsTemplatePodSpec({ containers: [], serviceAccount: 'builder', enableServiceLinks: false, priority: 5 } as never);
  assert.equal(a.serviceAccountName, 'builder');
  assert.equal(a.serviceAccount, 'builder');
  assert.equal(a.enableServiceLinks, false);
  assert.equal(a.priority, 5);
  assert.equal(a.preemptionPolicy, undefined);
  const b = d.setDefaultsTemplatePodSpec({ containers: [], serviceAccountName: 'web' } as never);
  assert.equal(b.serviceAccount, 'web');
});

test('explicit values are not overwritten', () => {
  const p = pod([{ name: 'c', image: 'x', imagePullPolicy: 'Never' }], {
    restartPolicy: 'Never',
    terminationGracePeriodSeconds: 0,
    serviceAccountName: 'builder',
    enableServiceLinks: false,
  });
  d.setDefaultsPod(p);
  assert.equal(p.spec!.restartPolicy, 'Never');
  assert.equal(p.spec!.terminationGracePeriodSeconds, 0);
  assert.equal(p.spec!.serviceAccountName, 'builder');
  assert.equal(p.spec!.serviceAccount, 'builder');
  assert.equal(p.spec!.enableServiceLinks, false);
  assert.equal(p.spec!.containers[0]!.imagePullPolicy, 'Never');
});

test('hostNetwork copies containerPort into hostPort', () => {
  const p = pod([{ name: 'c', image: 'x', ports: [{ containerPort: 8080 }] }], { hostNetwork: true });
  d.setDefaultsPod(p);
  assert.equal(p.spec!.containers[0]!.ports![0]!.hostPort, 8080);
});

test('volume defaults', () => {
  const p = pod([{ name: 'c', image: 'x' }], {
    volumes: [
      { name: 'plain' },
      { name: 'cm', configMap: { name: 'c' } },
      { name: 'sec', secret: { secretName: 's', defaultMode: 0o400 } },
      { name: 'dapi', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }] } },
      { name: 'proj', projected: { sources: [{ serviceAccountToken: { path: 'token' } }] } },
      { name: 'hp', hostPath: { path: '/tmp' } },
      { name: 'ed', emptyDir: { sizeLimit: '1024Mi' } },
    ],
  });
  d.setDefaultsPod(p);
  const v = Object.fromEntries(p.spec!.volumes!.map((x) => [x.name, x]));
  assert.deepEqual(v.plain!.emptyDir, {});
  assert.equal(v.cm!.configMap!.defaultMode, 420);
  assert.equal(v.sec!.secret!.defaultMode, 0o400);
  assert.equal(v.dapi!.downwardAPI!.defaultMode, 420);
  assert.equal(v.dapi!.downwardAPI!.items![0]!.fieldRef!.apiVersion, 'v1');
  assert.equal(v.proj!.projected!.defaultMode, 420);
  assert.equal(v.proj!.projected!.sources![0]!.serviceAccountToken!.expirationSeconds, 3600);
  assert.equal(v.hp!.hostPath!.type, '');
  assert.equal(v.ed!.emptyDir!.sizeLimit, '1Gi');
  assert.deepEqual(d.volumeSourceNames({ name: 'x', secret: {}, configMap: {} }), ['secret', 'configMap']);
});

test('limits without requests become requests; quantities canonical', () => {
  const p = pod([{ name: 'c', image: 'x', resources: { limits: { cpu: '1000m', memory: '1Gi' }, requests: { cpu: '0.5' } } }]);
  d.setDefaultsPod(p);
  assert.deepEqual(p.spec!.containers[0]!.resources, { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '500m', memory: '1Gi' } });
});

test('preparePodForCreate resets status to Pending with a QoS class', () => {
  const p = pod([{ name: 'c', image: 'x' }]);
  p.status = { phase: 'Running', podIP: '1.2.3.4' };
  d.preparePodForCreate(p);
  assert.deepEqual(p.status, { phase: 'Pending', qosClass: 'BestEffort' });
  assert.equal(p.apiVersion, 'v1');
  assert.equal(p.kind, 'Pod');
});

test('QoS classes', () => {
  const q = (cs: Partial<Container>[], init: Partial<Container>[] = []) => d.computeQOSClass(pod(cs, { initContainers: init }));
  assert.equal(q([{ name: 'a' }]), 'BestEffort');
  assert.equal(q([{ name: 'a', resources: { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '1', memory: '1Gi' } } }]), 'Guaranteed');
  assert.equal(q([{ name: 'a', resources: { limits: { cpu: '1', memory: '1Gi' } } }]), 'Burstable', 'raw: limits without requests');
  const defaulted = d.setDefaultsPod(pod([{ name: 'a', image: 'x', resources: { limits: { cpu: '1', memory: '1Gi' } } }]));
  assert.equal(d.computeQOSClass(defaulted), 'Guaranteed', 'after defaulting, requests = limits');
  assert.equal(q([{ name: 'a', resources: { limits: { cpu: '1000m', memory: '1024Mi' }, requests: { cpu: '1', memory: '1Gi' } } }]), 'Guaranteed');
  assert.equal(q([{ name: 'a', resources: { limits: { cpu: '2', memory: '1Gi' }, requests: { cpu: '1', memory: '1Gi' } } }]), 'Burstable');
  assert.equal(q([{ name: 'a', resources: { requests: { cpu: '100m' } } }]), 'Burstable');
  assert.equal(q([{ name: 'a', resources: { limits: { cpu: '1' }, requests: { cpu: '1' } } }]), 'Burstable', 'memory limit missing');
  assert.equal(
    q([{ name: 'a', resources: { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '1', memory: '1Gi' } } }, { name: 'b' }]),
    'Burstable',
    'one container without limits',
  );
  assert.equal(q([{ name: 'a' }], [{ name: 'i', resources: { requests: { memory: '10Mi' } } }]), 'Burstable', 'init containers count');
  assert.equal(q([{ name: 'a', resources: { requests: { 'example.com/gpu': '1', cpu: '0' } } }]), 'BestEffort', 'zero and non-cpu/memory are ignored');
});

test('namespace defaults', () => {
  const ns = d.setDefaultsNamespace({ metadata: { name: 'team-a' } });
  assert.deepEqual(ns.spec, { finalizers: ['kubernetes'] });
  assert.equal(ns.status!.phase, 'Active');
  assert.equal(ns.metadata.labels!['kubernetes.io/metadata.name'], 'team-a');
});

test('secret defaults and stringData merge', () => {
  const s = d.setDefaultsSecret({ metadata: { name: 's' }, stringData: { user: 'admin' }, data: { a: 'Yg==' } });
  assert.equal(s.type, 'Opaque');
  assert.deepEqual(s.data, { a: 'Yg==', user: 'YWRtaW4=' });
  assert.equal(s.stringData, undefined);
  assert.equal(d.setDefaultsSecret({ metadata: {}, type: 'kubernetes.io/tls' }).type, 'kubernetes.io/tls');
});

test('node, event, service account, configmap and lease defaults', () => {
  const n = d.setDefaultsNode({ metadata: { name: 'n1' }, spec: { podCIDR: '10.244.1.0/24' }, status: { capacity: { cpu: '2', memory: '2048Mi' } } });
  assert.deepEqual(n.spec!.podCIDRs, ['10.244.1.0/24']);
  assert.deepEqual(n.status!.allocatable, { cpu: '2', memory: '2Gi' });
  const n2 = d.setDefaultsNode({ metadata: { name: 'n2' }, spec: { podCIDRs: ['10.244.2.0/24'] } });
  assert.equal(n2.spec!.podCIDR, '10.244.2.0/24');
  const ev = d.setDefaultsEvent({ metadata: { name: 'e' }, involvedObject: { kind: 'Pod' } });
  assert.equal(ev.reportingComponent, '');
  assert.equal(ev.reportingInstance, '');
  assert.equal(d.setDefaultsServiceAccount({ metadata: { name: 'sa' } }).kind, 'ServiceAccount');
  assert.equal(d.setDefaultsConfigMap({ metadata: { name: 'c' } }).apiVersion, 'v1');
  assert.equal(d.setDefaultsLease({ metadata: { name: 'l' } }).apiVersion, 'coordination.k8s.io/v1');
});
