// Reading kubeconfigs as kubectl does: the current context's cluster and user, embedded *-data fields, file
// paths relative to the kubeconfig's folder, tokens and token files, and the errors for a broken context.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadKubeconfig, parseKubeconfig } from '../../../src/client/kubeconfig.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');

test('embedded data and the current context', () => {
  const kc = parseKubeconfig(
    `
apiVersion: v1
kind: Config
current-context: b
clusters:
- name: ca
  cluster: {server: "https://10.0.0.1:6443", certificate-authority-data: ${b64('CA-A')}}
- name: cb
  cluster: {server: "https://127.0.0.1:6443", certificate-authority-data: ${b64('CA-B')}, tls-server-name: kubernetes}
users:
- name: ua
  user: {token: abc}
- name: ub
  user: {client-certificate-data: ${b64('CERT')}, client-key-data: ${b64('KEY')}}
contexts:
- name: a
  context: {cluster: ca, user: ua}
- name: b
  context: {cluster: cb, user: ub, namespace: team}
`,
    '/nowhere',
  );
  assert.equal(kc.server, 'https://127.0.0.1:6443');
  assert.equal(String(kc.ca), 'CA-B');
  assert.equal(String(kc.cert), 'CERT');
  assert.equal(String(kc.key), 'KEY');
  assert.equal(kc.token, undefined);
  assert.equal(kc.namespace, 'team');
  assert.equal(kc.tlsServerName, 'kubernetes');
  assert.equal(kc.insecureSkipTLSVerify, false);
});

test('file paths are relative to the kubeconfig; tokenFile is read; a missing context is an error', () => {
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-kc-'));
  try {
    writeFileSync(join(dir, 'ca.crt'), 'CA-FILE');
    writeFileSync(join(dir, 'token'), 'tok-from-file\n');
    const path = join(dir, 'config');
    writeFileSync(
      path,
      `
current-context: x
clusters: [{name: c, cluster: {server: "https://h:1", certificate-authority: ca.crt, insecure-skip-tls-verify: true}}]
users: [{name: u, user: {tokenFile: token}}]
contexts: [{name: x, context: {cluster: c, user: u}}]
`,
    );
    const kc = loadKubeconfig(path);
    assert.equal(String(kc.ca), 'CA-FILE');
    assert.equal(kc.token, 'tok-from-file');
    assert.equal(kc.insecureSkipTLSVerify, true);
    assert.throws(() => loadKubeconfig(path, 'nope'), /context "nope" does not exist/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
