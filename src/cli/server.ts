// `k8ts server`: opens the store, serves the API, bootstraps system namespaces, writes the admin
// kubeconfig, starts the controllers (and, later, the node agent); SIGTERM/SIGINT shut it all down.
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import { openStorage, SqliteStorage } from '../storage/index.js';
import { ReloadableTransformer } from '../storage/encryption/transformer.js';
import { ENCRYPTION_CONFIG_FILE, loadOrCreateEncryptionConfig, watchEncryptionConfig } from '../storage/encryption/config.js';
import { createApiServer, bootstrapAuthorization, bootstrapKubernetesService, bootstrapSystemNamespaces } from '../apiserver/assemble.js';
import { nodeRBACAuthorization } from '../apiserver/authorization/index.js';
import { KubeClient } from '../client/rest.js';
import { SharedInformerFactory } from '../client/informer_factory.js';
import { connectLocalNode } from '../kubelet/server/streaming/in_process.js';
import { ControllerManager } from '../controllers/manager.js';
import { Scheduler } from '../scheduler/scheduler.js';
import { writeKubeconfig } from './kubeconfig.js';
import { addNodeAgentOptions, makeKubelet, type NodeAgentFlags } from './agent.js';
import { addLoggingOptions, applyLoggingFlags, type LoggingFlags } from './logflags.js';
import { addControllerOptions, controllerManagerSettings, type ControllerFlags } from './controller_manager.js';
import { logger, type Logger } from '../log/logger.js';

interface ServerFlags extends NodeAgentFlags, LoggingFlags, ControllerFlags {
  dataDir: string;
  authorizationMode: string;
  listen: string;
  store: string;
  agent: boolean;
  clusterCidr: string;
  watchHistoryMb?: string;
  disableControllerManager?: boolean;
  encryptionProviderConfig?: string;
}

interface Stoppable {
  stop(): void | Promise<void>;
}

/** Scheduler and the node agent: what `k8ts server` runs unless --no-agent. */
async function startNodeComponents(server: string, flags: ServerFlags, log: Logger, informers: SharedInformerFactory): Promise<Stoppable[]> {
  const started: Stoppable[] = [];
  const schedClient = new KubeClient({ server, userAgent: 'k8ts-scheduler' });
  const scheduler = new Scheduler(schedClient, { logger: logger('scheduler'), factory: informers });
  scheduler.start();
  started.push({
    stop: async () => {
      await scheduler.stop();
      schedClient.close();
    },
  });
  const podCidr = flags.podCidr;
  const kubeletClient = new KubeClient({ server, userAgent: 'k8ts-kubelet' });
  const kubelet = makeKubelet(kubeletClient, { ...flags, podCidr });
  await kubelet.start();
  log.info({ node: kubelet.nodeName, port: kubelet.port }, 'Node agent running');
  started.push({
    stop: async () => {
      await kubelet.stop();
      kubeletClient.close();
    },
  });
  return started;
}

/**
 * Follows changes of the encryption config (`k8ts secrets-encrypt rotate-keys` writes a new first key) and
 * re-encrypts what the new config reads as stale, so that the old key can then be dropped.
 */
function reloadEncryptionConfig(file: string, transformer: ReloadableTransformer, storage: SqliteStorage, log: Logger): () => void {
  let rewriting = Promise.resolve();
  return watchEncryptionConfig(
    file,
    (next) => {
      transformer.set(next);
      rewriting = rewriting
        .then(async () => {
          let rewritten = 0;
          for (const prefix of next.keyPrefixes()) rewritten += await storage.rewriteStale(prefix);
          log.info({ config: file, writers: next.writers().map((w) => w.writer), rewritten }, 'Encryption config reloaded');
        })
        .catch((e: Error) => log.error({ config: file, err: e.message }, 'Re-encrypting with the reloaded encryption config failed'));
    },
    (e) => log.error({ config: file, err: e.message }, 'Encryption config not reloaded: it does not parse; the running one is kept'),
  );
}

/** --authorization-mode: upstream's Node,RBAC (the default), or AlwaysAllow (no authorizer at all). */
function authorizationFor(mode: string, storage: Parameters<typeof nodeRBACAuthorization>[0]) {
  if (mode === 'AlwaysAllow') return undefined;
  if (mode !== 'Node,RBAC') throw new Error(`--authorization-mode must be Node,RBAC or AlwaysAllow, got ${mode}`);
  return nodeRBACAuthorization(storage);
}

function parseListen(s: string): { host: string; port: number } {
  const i = s.lastIndexOf(':');
  if (i < 0) throw new Error(`--listen wants HOST:PORT, got ${JSON.stringify(s)}`);
  const port = Number(s.slice(i + 1));
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid port in --listen ${JSON.stringify(s)}`);
  return { host: s.slice(0, i).replace(/^\[|\]$/g, ''), port };
}

export async function runServer(flags: ServerFlags): Promise<void> {
  applyLoggingFlags(flags);
  const log = logger('server');
  const dataDir = resolve(flags.dataDir);
  mkdirSync(dataDir, { recursive: true });
  if (flags.store !== 'sqlite' && flags.store !== 'memory') throw new Error(`--store must be sqlite or memory, got ${flags.store}`);
  const historyMb = flags.watchHistoryMb === undefined ? undefined : Number(flags.watchHistoryMb);
  if (historyMb !== undefined && !(historyMb > 0)) throw new Error(`--watch-history-mb must be a positive number, got ${flags.watchHistoryMb}`);
  // Secrets are encrypted at rest by default: the config (and its key) is made on first start.
  const encryptionConfig = resolve(flags.encryptionProviderConfig ?? join(dataDir, 'pki', ENCRYPTION_CONFIG_FILE));
  mkdirSync(dirname(encryptionConfig), { recursive: true, mode: 0o700 });
  const transformer = new ReloadableTransformer(loadOrCreateEncryptionConfig(encryptionConfig));
  const storage = openStorage(flags.store, { dataDir, historyBytes: historyMb === undefined ? undefined : Math.floor(historyMb * 1024 * 1024), transformer });
  // With the node agent in this process, streams reach its server in memory rather than over loopback TCP.
  const stopEncryptionReload = storage instanceof SqliteStorage ? reloadEncryptionConfig(encryptionConfig, transformer, storage, log) : () => {};
  const authorization = authorizationFor(flags.authorizationMode, storage);
  const api = createApiServer(storage, undefined, flags.agent ? { connectNode: connectLocalNode } : {}, logger('apiserver'), { authorization });
  const { host, port } = parseListen(flags.listen);
  await bootstrapSystemNamespaces(api);
  if (authorization) await bootstrapAuthorization(api, authorization);
  const addr = await api.listen(host, port);
  // where pods and other machines reach the API server: the `kubernetes` Service's endpoint
  await bootstrapKubernetesService(api, { ip: addr.address === '0.0.0.0' || addr.address === '::' ? '127.0.0.1' : addr.address, port: addr.port });
  const hostForURL = addr.address.includes(':') ? `[${addr.address}]` : addr.address;
  const server = `http://${hostForURL}:${addr.port}`;
  const kubeconfig = join(dataDir, 'kubeconfig.yaml');
  writeKubeconfig(kubeconfig, server, randomBytes(16).toString('hex'));

  const client = new KubeClient({ server, userAgent: 'k8ts-controller-manager' });
  // One list+watch per resource for the controllers and the scheduler of this process.
  const informers = new SharedInformerFactory(client);
  // The controller manager in-process (no leader election unless asked: this process is the only one);
  // --disable-controller-manager leaves the controllers to `k8ts controller-manager` processes.
  const cmSettings = controllerManagerSettings(flags, false);
  const controllerManager = flags.disableControllerManager
    ? undefined
    : new ControllerManager({ client, ...cmSettings, informers: cmSettings.leaderElection.enabled ? undefined : informers });
  controllerManager?.start();
  const nodeComponents = flags.agent ? await startNodeComponents(server, flags, log, informers) : [];

  log.info({ address: server, kubeconfig, store: flags.store, dataDir }, 'Serving the API');
  // The command's output (scripts and the test harness read these two lines), not log lines.
  process.stdout.write(`k8ts API server listening on ${server}\nkubeconfig: ${kubeconfig}\n`);

  let stopping = false;
  const shutdown = async (sig: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal: sig }, 'Received signal, shutting down');
    for (const c of nodeComponents.reverse()) await c.stop();
    await controllerManager?.stop();
    await informers.shutdown();
    client.close();
    await api.close();
    stopEncryptionReload();
    authorization?.stop();
    await storage.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

export function registerServerCommand(program: Command): void {
  const cmd = program
    .command('server')
    .description('run the API server, store and controllers (and the node agent unless --no-agent)')
    .option('--data-dir <dir>', 'data directory', '/var/lib/k8ts')
    .option('--authorization-mode <modes>', 'authorizers in order: Node,RBAC, or AlwaysAllow', 'Node,RBAC')
    .option('--listen <host:port>', 'address to serve the API on', '127.0.0.1:6443')
    .option('--store <kind>', 'store backend: sqlite or memory', 'sqlite')
    .option('--watch-history-mb <n>', 'MiB of events the watch history keeps (default 64; older revisions answer 410 Expired)')
    .option('--encryption-provider-config <file>', 'EncryptionConfiguration for data at rest (default DATA/pki/encryption-config.yaml, made on first start)')
    .option('--no-agent', 'do not run the node agent in this process')
    .option('--cluster-cidr <cidr>', 'pod address range of the cluster (node podCIDRs come from it)', '10.244.0.0/16')
    .option('--disable-controller-manager', 'run no controllers in this process (leave them to `k8ts controller-manager`)');
  addLoggingOptions(addControllerOptions(addNodeAgentOptions(cmd), false)).action(async (flags: ServerFlags) => {
    await runServer(flags);
  });
}
