// Writes the admin kubeconfig (cluster, user and context all named "k8ts") that kubectl uses.
import { writeFileSync, renameSync } from 'node:fs';
import { stringify } from 'yaml';

export function writeKubeconfig(path: string, server: string, token: string): void {
  const doc = {
    apiVersion: 'v1',
    kind: 'Config',
    preferences: {},
    clusters: [{ name: 'k8ts', cluster: { server } }],
    users: [{ name: 'k8ts', user: { token } }],
    contexts: [{ name: 'k8ts', context: { cluster: 'k8ts', user: 'k8ts', namespace: 'default' } }],
    'current-context': 'k8ts',
  };
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, stringify(doc), { mode: 0o600 });
  renameSync(tmp, path);
}
