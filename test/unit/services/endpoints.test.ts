// The endpoint computations of the Endpoints and EndpointSlice controllers and their printers: which pods count,
// readiness and terminating conditions, named targetPorts per pod, subsets per port set, 100 endpoints a slice.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { podEndpoints, findPort } from '../../../src/controllers/endpoint/pod_endpoints.js';
import { endpointSubsets } from '../../../src/controllers/endpoint/endpoints_controller.js';
import { desiredSlices } from '../../../src/controllers/endpoint/endpointslice_controller.js';
import { formatEndpoints, endpointSlicePrinter } from '../../../src/apiserver/printers/endpoints.js';
import { Indexer } from '../../../src/client/indexer.js';
import { Lister } from '../../../src/client/listers.js';
import type { Node, Pod } from '../../../src/api/core/v1/types.js';
import type { Service } from '../../../src/api/core/v1/service_types.js';

const service: Service = {
  metadata: { name: 'web', namespace: 'default' },
  spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 'http' }] },
};

function pod(name: string, ip: string | undefined, o: { ready?: boolean; port?: number; deleting?: boolean; phase?: string; hostname?: string } = {}): Pod {
  return {
    metadata: { name, namespace: 'default', uid: `uid-${name}`, labels: { app: 'web' }, ...(o.deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}) },
    spec: {
      nodeName: 'n1',
      hostname: o.hostname,
      subdomain: o.hostname ? 'web' : undefined,
      containers: [{ name: 'c', image: 'busybox', ports: o.port ? [{ name: 'http', containerPort: o.port }] : [] }],
    },
    status: { phase: o.phase ?? 'Running', podIP: ip, conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True' }] },
  } as Pod;
}

const nodes = new Lister<Node>(new Indexer<Node>());

describe('service endpoints', () => {
  it('resolves named target ports per pod and skips pods without an IP, finished, or without the port', () => {
    assert.equal(findPort(pod('a', '1', { port: 8080 }), service.spec!.ports![0]), 8080);
    const eps = podEndpoints(service, [
      pod('a', '10.0.0.2', { port: 8080 }),
      pod('b', '10.0.0.1', { port: 9090, ready: false }),
      pod('c', undefined, { port: 8080 }),
      pod('d', '10.0.0.4', { port: 8080, phase: 'Succeeded' }),
      pod('e', '10.0.0.3'),
      pod('f', '10.0.0.5', { port: 8080, deleting: true }),
    ]);
    assert.deepEqual(
      eps.map((e) => [e.pod.metadata.name, e.ip, e.ready, e.serving, e.terminating, e.ports.map((p) => p.port)]),
      [
        ['b', '10.0.0.1', false, false, false, [9090]],
        ['a', '10.0.0.2', true, true, false, [8080]],
        ['e', '10.0.0.3', true, true, false, []],
        ['f', '10.0.0.5', false, true, true, [8080]],
      ],
    );
    const { subsets } = endpointSubsets(service, eps);
    // one subset per port set; terminating pods leave the legacy Endpoints
    assert.deepEqual(
      subsets.map((s) => [s.ports?.map((p) => p.port), s.addresses?.map((a) => a.ip), s.notReadyAddresses?.map((a) => a.ip)]),
      [
        [[9090], undefined, ['10.0.0.1']],
        [[8080], ['10.0.0.2'], undefined],
        [undefined, ['10.0.0.3'], undefined],
      ],
    );
  });

  it('publishNotReadyAddresses makes every endpoint ready; hostname+subdomain give the endpoint a hostname', () => {
    const svc = { ...service, spec: { ...service.spec, publishNotReadyAddresses: true } };
    const eps = podEndpoints(svc, [pod('a', '10.0.0.2', { port: 8080, ready: false, hostname: 'a' })]);
    assert.equal(eps[0].ready, true);
    assert.equal(eps[0].hostname, 'a');
  });

  it('cuts slices at 100 endpoints and keeps an empty slice for a Service without endpoints', () => {
    const pods = Array.from({ length: 250 }, (_, i) => pod(`p${i}`, `10.1.${Math.floor(i / 200)}.${i % 200}`, { port: 8080 }));
    const slices = desiredSlices(service, podEndpoints(service, pods), nodes);
    assert.deepEqual(
      slices.map((s) => s.endpoints.length),
      [100, 100, 50],
    );
    assert.equal(slices[0].endpoints[0].conditions?.ready, true);
    const empty = desiredSlices({ ...service, spec: { ...service.spec, ports: [{ port: 80, protocol: 'TCP', targetPort: 8080 }] } }, [], nodes);
    assert.deepEqual(empty, [{ ports: [{ name: '', port: 8080, protocol: 'TCP' }], endpoints: [] }]);
  });

  it('prints the first three endpoints and how many more, as upstream', () => {
    const subsets = [{ addresses: [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }], ports: [{ port: 80 }, { port: 443 }] }];
    assert.equal(formatEndpoints(subsets), '10.0.0.1:80,10.0.0.2:80,10.0.0.1:443 + 1 more...');
    assert.equal(formatEndpoints([]), '<none>');
    const row = endpointSlicePrinter.cells(
      { metadata: { name: 's', creationTimestamp: new Date().toISOString() }, addressType: 'IPv4', ports: [{ port: 80 }], endpoints: [] },
      new Date(),
    );
    assert.deepEqual(row.slice(0, 4), ['s', 'IPv4', '80', '<unset>']);
  });
});
