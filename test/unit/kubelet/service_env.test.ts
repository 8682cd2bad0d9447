// Service environment variables as upstream's kubelet makes them: the `kubernetes` Service of `default` for
// every pod, the pod namespace's Services with enableServiceLinks (winning over the master one), no headless
// or IP-less Services, named ports, and the Docker-link style variables of every port.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Service, ServicePort } from '../../../src/api/core/v1/service_types.js';
import { podServiceEnv, servicesForPod } from '../../../src/kubelet/service_env.js';

const svc = (ns: string, name: string, clusterIP: string, ports: ServicePort[]): Service => ({
  metadata: { namespace: ns, name },
  spec: { clusterIP, ports },
});

const kubernetes = svc('default', 'kubernetes', '10.100.3.1', [{ name: 'https', port: 443, protocol: 'TCP' }]);

test('every pod gets the kubernetes Service variables, whatever enableServiceLinks says', () => {
  for (const links of [true, false]) {
    assert.deepEqual(podServiceEnv([kubernetes], 'team', links), {
      KUBERNETES_SERVICE_HOST: '10.100.3.1',
      KUBERNETES_SERVICE_PORT: '443',
      KUBERNETES_SERVICE_PORT_HTTPS: '443',
      KUBERNETES_PORT: 'tcp://10.100.3.1:443',
      KUBERNETES_PORT_443_TCP: 'tcp://10.100.3.1:443',
      KUBERNETES_PORT_443_TCP_PROTO: 'tcp',
      KUBERNETES_PORT_443_TCP_PORT: '443',
      KUBERNETES_PORT_443_TCP_ADDR: '10.100.3.1',
    });
  }
});

test("enableServiceLinks adds the namespace's Services (all ports, named ones too); other namespaces and headless ones never", () => {
  const services = [
    kubernetes,
    svc('team', 'web-front', '10.100.3.20', [
      { port: 80, protocol: 'TCP' },
      { name: 'dns-udp', port: 53, protocol: 'UDP' },
    ]),
    svc('team', 'headless', 'None', [{ port: 80 }]),
    svc('team', 'external', '', [{ port: 80 }]),
    svc('other', 'db', '10.100.3.30', [{ port: 5432 }]),
  ];
  const env = podServiceEnv(services, 'team', true);
  assert.equal(env.WEB_FRONT_SERVICE_HOST, '10.100.3.20');
  assert.equal(env.WEB_FRONT_SERVICE_PORT, '80');
  assert.equal(env.WEB_FRONT_SERVICE_PORT_DNS_UDP, '53');
  assert.equal(env.WEB_FRONT_PORT, 'tcp://10.100.3.20:80');
  assert.equal(env.WEB_FRONT_PORT_80_TCP_ADDR, '10.100.3.20');
  assert.equal(env.WEB_FRONT_PORT_53_UDP, 'udp://10.100.3.20:53');
  assert.equal(env.WEB_FRONT_PORT_53_UDP_PROTO, 'udp');
  assert.ok(!Object.keys(env).some((k) => k.startsWith('HEADLESS_') || k.startsWith('EXTERNAL_') || k.startsWith('DB_')));
  assert.equal(env.KUBERNETES_SERVICE_HOST, '10.100.3.1');
  const noLinks = podServiceEnv(services, 'team', false);
  assert.ok(!Object.keys(noLinks).some((k) => k.startsWith('WEB_FRONT')));
  // enableServiceLinks defaults to true
  assert.equal(podServiceEnv(services, 'team', undefined).WEB_FRONT_SERVICE_HOST, '10.100.3.20');
});

test("a namespace's own `kubernetes` Service wins over the master one when links are on", () => {
  const own = svc('team', 'kubernetes', '10.100.3.99', [{ port: 8443 }]);
  assert.deepEqual(
    servicesForPod([own, kubernetes], 'team', true).map((s) => s.metadata.namespace),
    ['team'],
  );
  assert.deepEqual(
    servicesForPod([kubernetes, own], 'team', true).map((s) => s.metadata.namespace),
    ['team'],
  );
  assert.deepEqual(
    servicesForPod([own, kubernetes], 'team', false).map((s) => s.metadata.namespace),
    ['default'],
  );
  assert.equal(podServiceEnv([kubernetes, own], 'team', true).KUBERNETES_SERVICE_PORT, '8443');
});

test('IPv6 cluster IPs are bracketed in the link URLs only', () => {
  const env = podServiceEnv([svc('default', 'kubernetes', 'fd00::1', [{ name: 'https', port: 443 }])], 'x', true);
  assert.equal(env.KUBERNETES_SERVICE_HOST, 'fd00::1');
  assert.equal(env.KUBERNETES_PORT, 'tcp://[fd00::1]:443');
  assert.equal(env.KUBERNETES_PORT_443_TCP_ADDR, 'fd00::1');
});
