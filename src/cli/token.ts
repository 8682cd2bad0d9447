// `k8ts token create|list|delete` (kubeadm token): bootstrap tokens in kube-system, through the API server with
// the admin kubeconfig (default DATA/kubeconfig.yaml).
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { BOOTSTRAP_KUBEADM_NODE_GROUP, BOOTSTRAP_TOKEN_NAMESPACE, bootstrapTokenSecretName, parseBootstrapToken } from '../api/bootstrap_token.js';
import { loadKubeconfig } from '../client/kubeconfig.js';
import { KubeClient } from '../client/rest.js';
import { coreV1 } from '../client/typed.js';
import { shortHumanDuration } from '../apiserver/printers/duration.js';
import { caCertHash } from '../pki/pubkey_pin.js';
import { parse } from 'yaml';
import { createToken, DEFAULT_TOKEN_USAGES, generateBootstrapToken, joinCommand, listTokens, type TokenInfo } from './bootstrap_tokens.js';
import { parseDuration } from './controller_manager.js';
import { CLUSTER_INFO } from './join_setup.js';

interface TokenFlags {
  kubeconfig?: string;
  dataDir: string;
}

function adminClient(flags: TokenFlags): KubeClient {
  const file = flags.kubeconfig ?? join(resolve(flags.dataDir), 'kubeconfig.yaml');
  const { namespace: _ns, ...kc } = loadKubeconfig(file);
  return new KubeClient({ ...kc, userAgent: 'k8ts-token' });
}

/** The join command for `token`, from cluster-info's server and CA (as kubeadm --print-join-command). */
async function printJoin(client: KubeClient, token: string): Promise<string> {
  const cm = await coreV1(client).configMaps(CLUSTER_INFO.namespace).get(CLUSTER_INFO.name);
  const doc = parse(cm.data?.kubeconfig ?? '') as { clusters?: { cluster?: { server?: string; 'certificate-authority-data'?: string } }[] } | null;
  const cluster = doc?.clusters?.[0]?.cluster;
  if (!cluster?.server || !cluster['certificate-authority-data']) throw new Error('the cluster-info ConfigMap holds no server and CA');
  return joinCommand(cluster.server, token, caCertHash(Buffer.from(cluster['certificate-authority-data'], 'base64').toString('utf8')));
}

export function tokenTable(tokens: TokenInfo[], now = Date.now()): string {
  const rows = [['TOKEN', 'TTL', 'EXPIRES', 'USAGES', 'DESCRIPTION', 'EXTRA GROUPS']];
  for (const t of tokens) {
    const ttl = t.expires === undefined ? '<forever>' : t.expires <= now ? '<invalid>' : shortHumanDuration(t.expires - now);
    const expires = t.expires === undefined ? '<never>' : new Date(t.expires).toISOString().replace(/\.\d+Z$/, 'Z');
    rows.push([t.token, ttl, expires, t.usages.join(',') || '<none>', t.description || '<none>', t.groups.join(',') || '<none>']);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] + 3))).join('')).join('\n') + '\n';
}

const collect = (v: string, acc: string[] | undefined) => [...(acc ?? []), ...v.split(',').filter(Boolean)];

export function registerTokenCommands(program: Command): void {
  const token = program.command('token').description('manage bootstrap tokens (kubeadm token)');
  const common = (c: Command) =>
    c
      .option('--kubeconfig <file>', 'admin kubeconfig (default: DATA/kubeconfig.yaml)')
      .option('--data-dir <dir>', 'data directory of the server', '/var/lib/k8ts');
  common(
    token
      .command('create [token]')
      .description('create a bootstrap token on the server (a random one unless given)')
      .option('--ttl <duration>', 'time before the token is deleted (0: never)', '24h0m0s')
      .option('--usages <list>', 'ways the token may be used (signing, authentication)', collect)
      .option('--groups <list>', 'extra groups the token authenticates as', collect)
      .option('--description <text>', 'a human friendly description of the token')
      .option('--print-join-command', 'print the whole `k8ts agent` command that joins a node with this token'),
  ).action(
    async (
      given: string | undefined,
      flags: TokenFlags & { ttl: string; usages?: string[]; groups?: string[]; description?: string; printJoinCommand?: boolean },
    ) => {
      const client = adminClient(flags);
      try {
        const value = given ?? generateBootstrapToken();
        const usages = flags.usages ?? DEFAULT_TOKEN_USAGES;
        const groups = flags.groups ?? (usages.includes('authentication') ? [BOOTSTRAP_KUBEADM_NODE_GROUP] : []);
        await createToken(client, { token: value, ttlMs: parseDuration(flags.ttl, '--ttl'), usages, groups, description: flags.description });
        process.stdout.write(flags.printJoinCommand ? `${await printJoin(client, value)}\n` : `${value}\n`);
      } finally {
        client.close();
      }
    },
  );
  common(token.command('list').description('list the bootstrap tokens on the server')).action(async (flags: TokenFlags) => {
    const client = adminClient(flags);
    try {
      process.stdout.write(tokenTable(await listTokens(client)));
    } finally {
      client.close();
    }
  });
  common(token.command('delete <tokens...>').description('delete bootstrap tokens (by ID or whole token)')).action(async (ids: string[], flags: TokenFlags) => {
    const client = adminClient(flags);
    try {
      for (const t of ids) {
        const id = parseBootstrapToken(t)?.id ?? t;
        if (!/^[a-z0-9]{6}$/.test(id)) throw new Error(`given token didn't match pattern "[a-z0-9]{6}" or "[a-z0-9]{6}.[a-z0-9]{16}"`);
        await coreV1(client).secrets(BOOTSTRAP_TOKEN_NAMESPACE).delete(bootstrapTokenSecretName(id));
        process.stdout.write(`bootstrap token "${id}" deleted\n`);
      }
    } finally {
      client.close();
    }
  });
}
