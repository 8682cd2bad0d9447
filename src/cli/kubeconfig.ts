// Writes kubeconfigs (0600): the admin one kubectl uses (cluster, user and context all named "k8ts") and the
// components' (scheduler, controller-manager, kubelet), each embedding the cluster CA and a client certificate.
import { writeFileSync, renameSync } from 'node:fs';
import { stringify } from 'yaml';

export interface KubeconfigUser {
  token?: string;
  /** PEM client certificate and key. */
  cert?: string;
  key?: string;
}

const b64 = (pem: string) => Buffer.from(pem).toString('base64');

/** `user`: a token (string) or a client certificate; `ca`: PEM of the CA that signed the server's certificate. */
export function writeKubeconfig(path: string, server: string, user: string | KubeconfigUser, ca?: string, name = 'k8ts'): void {
  const u = typeof user === 'string' ? { token: user } : user;
  const doc = {
    apiVersion: 'v1',
    kind: 'Config',
    preferences: {},
    clusters: [{ name, cluster: { server, ...(ca ? { 'certificate-authority-data': b64(ca) } : {}) } }],
    users: [
      {
        name,
        user: {
          ...(u.cert ? { 'client-certificate-data': b64(u.cert) } : {}),
          ...(u.key ? { 'client-key-data': b64(u.key) } : {}),
          ...(u.token ? { token: u.token } : {}),
        },
      },
    ],
    contexts: [{ name, context: { cluster: name, user: name, namespace: 'default' } }],
    'current-context': name,
  };
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, stringify(doc), { mode: 0o600 });
  renameSync(tmp, path);
}
