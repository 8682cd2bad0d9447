// The bootstrap token cleaner (upstream pkg/controller/bootstrap tokencleaner.go): kube-system Secrets of
// type bootstrap.kubernetes.io/token are deleted once their expiration has passed.
import type { Secret } from '../api/core/v1/types.js';
import { BOOTSTRAP_KEYS, BOOTSTRAP_TOKEN_NAMESPACE, BOOTSTRAP_TOKEN_SECRET_TYPE, bootstrapSecretData } from '../api/bootstrap_token.js';
import { Controller, type ReconcileResult } from '../client/controller.js';
import type { SharedInformerFactory } from '../client/informer_factory.js';
import type { Lister } from '../client/listers.js';
import type { KubeClient } from '../client/rest.js';
import { coreV1, type CoreV1Client } from '../client/typed.js';
import type { Logger } from '../log/logger.js';

export class BootstrapTokenCleaner extends Controller {
  private readonly core: CoreV1Client;
  private readonly secrets: Lister<Secret>;
  private readonly now: () => number;

  constructor(client: KubeClient, opts: { log?: Logger; factory?: SharedInformerFactory; now?: () => number } = {}) {
    super({ name: 'tokencleaner', client, factory: opts.factory, log: opts.log });
    this.now = opts.now ?? Date.now;
    this.core = coreV1(client);
    const informer = this.factory.secrets({ namespace: BOOTSTRAP_TOKEN_NAMESPACE });
    this.secrets = informer.lister;
    this.watch(
      informer,
      this.enqueueAll<Secret>((s) => s.type === BOOTSTRAP_TOKEN_SECRET_TYPE),
    );
  }

  protected async reconcile(key: string): Promise<ReconcileResult | void> {
    const name = key.slice(key.indexOf('/') + 1);
    const secret = this.secrets.namespace(BOOTSTRAP_TOKEN_NAMESPACE).get(name);
    if (!secret || secret.type !== BOOTSTRAP_TOKEN_SECRET_TYPE || secret.metadata.deletionTimestamp) return;
    const expiration = bootstrapSecretData(secret.data)[BOOTSTRAP_KEYS.expiration];
    if (!expiration) return;
    const at = Date.parse(expiration);
    const left = Number.isNaN(at) ? 0 : at - this.now();
    if (left > 0) return { requeueAfterMs: left };
    try {
      await this.core.secrets(BOOTSTRAP_TOKEN_NAMESPACE).delete(name, { preconditions: { uid: secret.metadata.uid } });
      this.log.info({ secret: key }, 'Deleted expired bootstrap token');
    } catch (e) {
      const code = (e as { code?: number }).code;
      if (code !== 404 && code !== 409) throw e;
    }
  }
}
