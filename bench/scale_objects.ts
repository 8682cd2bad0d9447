// bench:scale's objects, shared by the bench and its forked processes: the namespaces the pods are spread
// over (scale-<k>, at most a few thousand pods each as upstream's density tests) and the pod they create.
import type { Api } from './scale_http.js';

export const podsPerNamespace = (pods: number, namespaces: number) => Math.ceil(pods / namespaces);
export const namespaceName = (k: number) => `scale-${k}`;

/** A density-test pod: one pause container with small requests. */
export function scalePod(name: string, node: string | undefined, labels: Record<string, string>, schedulerName?: string) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels },
    spec: {
      ...(node ? { nodeName: node } : {}),
      ...(schedulerName ? { schedulerName } : {}),
      containers: [{ name: 'pause', image: 'registry.k8s.io/pause:3.9', resources: { requests: { cpu: '10m', memory: '10Mi' } } }],
    },
  };
}

/** Makes the namespace and waits until its default ServiceAccount exists. */
export async function makeNamespace(api: Api, ns: string): Promise<void> {
  await api.expect('POST', '/api/v1/namespaces', [201, 409], { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  for (const t0 = Date.now(); ; await new Promise((r) => setTimeout(r, 200))) {
    if ((await api.request('GET', `/api/v1/namespaces/${ns}/serviceaccounts/default`)).status === 200) return;
    if (Date.now() - t0 > 120_000) throw new Error(`no default ServiceAccount in ${ns} after 120 s`);
  }
}
