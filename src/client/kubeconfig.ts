// Reads a kubeconfig as kubectl does (current context → cluster + user): server, certificate-authority(-data),
// client-certificate(-data), client-key(-data), token / tokenFile, insecure-skip-tls-verify, tls-server-name.
// File paths are relative to the kubeconfig's folder.
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { parse } from 'yaml';
import { KubeClient, type ClientOptions } from './rest.js';

interface KubeconfigDoc {
  'current-context'?: string;
  contexts?: { name: string; context?: { cluster?: string; user?: string; namespace?: string } }[];
  clusters?: {
    name: string;
    cluster?: {
      server?: string;
      'certificate-authority'?: string;
      'certificate-authority-data'?: string;
      'insecure-skip-tls-verify'?: boolean;
      'tls-server-name'?: string;
    };
  }[];
  users?: {
    name: string;
    user?: {
      token?: string;
      tokenFile?: string;
      'client-certificate'?: string;
      'client-certificate-data'?: string;
      'client-key'?: string;
      'client-key-data'?: string;
    };
  }[];
}

export interface LoadedKubeconfig extends ClientOptions {
  /** The context's namespace, if it names one. */
  namespace?: string;
}

export function parseKubeconfig(text: string, baseDir: string, context?: string): LoadedKubeconfig {
  const doc = (parse(text) ?? {}) as KubeconfigDoc;
  const want = context ?? doc['current-context'];
  const ctx = doc.contexts?.find((c) => c.name === want) ?? (want ? undefined : doc.contexts?.[0]);
  if (!ctx) throw new Error(want ? `context "${want}" does not exist in the kubeconfig` : 'the kubeconfig has no context');
  const cluster = doc.clusters?.find((c) => c.name === ctx.context?.cluster)?.cluster;
  if (!cluster?.server) throw new Error(`cluster "${ctx.context?.cluster ?? ''}" of context "${ctx.name}" has no server`);
  const user = doc.users?.find((u) => u.name === ctx.context?.user)?.user ?? {};
  const file = (p: string) => readFileSync(isAbsolute(p) ? p : join(baseDir, p));
  const pem = (data: string | undefined, path: string | undefined) => (data ? Buffer.from(data, 'base64') : path ? file(path) : undefined);
  const token = user.token ?? (user.tokenFile ? file(user.tokenFile).toString('utf8').trim() : undefined);
  return {
    server: cluster.server,
    ca: pem(cluster['certificate-authority-data'], cluster['certificate-authority']),
    insecureSkipTLSVerify: cluster['insecure-skip-tls-verify'] === true,
    tlsServerName: cluster['tls-server-name'],
    cert: pem(user['client-certificate-data'], user['client-certificate']),
    key: pem(user['client-key-data'], user['client-key']),
    token: token || undefined,
    namespace: ctx.context?.namespace,
  };
}

/** The client options of a kubeconfig file (its current context, or `context`). */
export function loadKubeconfig(path: string, context?: string): LoadedKubeconfig {
  return parseKubeconfig(readFileSync(path, 'utf8'), dirname(path), context);
}

/** A client for the kubeconfig's current context (or `context`), credentials and CA as kubectl reads them. */
export function fromKubeconfig(path: string, opts: { userAgent?: string; context?: string } = {}): KubeClient {
  const { namespace: _ns, ...o } = loadKubeconfig(path, opts.context);
  return new KubeClient({ ...o, userAgent: opts.userAgent });
}
