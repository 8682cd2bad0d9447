// ConfigMaps and Secrets for env and volumes, served from watch caches (informers) with a direct GET on a
// cache miss, and a hook that fires when one changes (so pods using it get re-synced).
import { isStatusError } from '../api/errors.js';
import type { ConfigMap, Secret } from '../api/core/v1/types.js';
import { Informer } from '../client/informer.js';
import type { KubeClient } from '../client/rest.js';
import type { ObjectSource } from './volumes/types.js';

export class InformerObjectSource implements ObjectSource {
  readonly configMaps: Informer<ConfigMap>;
  readonly secrets: Informer<Secret>;

  constructor(
    private readonly client: KubeClient,
    onChange: (kind: 'ConfigMap' | 'Secret', namespace: string, name: string) => void,
  ) {
    this.configMaps = new Informer<ConfigMap>(client, '/api/v1/configmaps');
    this.secrets = new Informer<Secret>(client, '/api/v1/secrets');
    const hook = (kind: 'ConfigMap' | 'Secret') => ({
      onAdd: (o: ConfigMap | Secret) => onChange(kind, o.metadata.namespace ?? '', o.metadata.name ?? ''),
      onUpdate: (_: ConfigMap | Secret, o: ConfigMap | Secret) => onChange(kind, o.metadata.namespace ?? '', o.metadata.name ?? ''),
      onDelete: (o: ConfigMap | Secret) => onChange(kind, o.metadata.namespace ?? '', o.metadata.name ?? ''),
    });
    this.configMaps.addHandlers(hook('ConfigMap'));
    this.secrets.addHandlers(hook('Secret'));
  }

  start(): void {
    this.configMaps.start();
    this.secrets.start();
  }

  stop(): void {
    this.configMaps.stop();
    this.secrets.stop();
  }

  private async fetch<T>(path: string): Promise<T | undefined> {
    try {
      return await this.client.get<T>(path);
    } catch (e) {
      if (isStatusError(e) && e.status.code === 404) return undefined;
      throw e;
    }
  }

  async getConfigMap(ns: string, name: string): Promise<ConfigMap | undefined> {
    return this.configMaps.get(`${ns}/${name}`) ?? (await this.fetch<ConfigMap>(`/api/v1/namespaces/${encodeURIComponent(ns)}/configmaps/${encodeURIComponent(name)}`));
  }

  async getSecret(ns: string, name: string): Promise<Secret | undefined> {
    return this.secrets.get(`${ns}/${name}`) ?? (await this.fetch<Secret>(`/api/v1/namespaces/${encodeURIComponent(ns)}/secrets/${encodeURIComponent(name)}`));
  }
}

/** Names of the ConfigMaps and Secrets a pod uses (env, envFrom, volumes, projected sources, pull secrets). */
export function referencedObjects(pod: { spec?: import('../api/core/v1/types.js').PodSpec }): { configMaps: Set<string>; secrets: Set<string> } {
  const configMaps = new Set<string>();
  const secrets = new Set<string>();
  const spec = pod.spec;
  for (const c of [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])]) {
    for (const e of c.env ?? []) {
      if (e.valueFrom?.configMapKeyRef?.name) configMaps.add(e.valueFrom.configMapKeyRef.name);
      if (e.valueFrom?.secretKeyRef?.name) secrets.add(e.valueFrom.secretKeyRef.name);
    }
    for (const f of c.envFrom ?? []) {
      if (f.configMapRef?.name) configMaps.add(f.configMapRef.name);
      if (f.secretRef?.name) secrets.add(f.secretRef.name);
    }
  }
  for (const v of spec?.volumes ?? []) {
    if (v.configMap?.name) configMaps.add(v.configMap.name);
    if (v.secret?.secretName) secrets.add(v.secret.secretName);
    for (const s of v.projected?.sources ?? []) {
      if (s.configMap?.name) configMaps.add(s.configMap.name);
      if (s.secret?.name) secrets.add(s.secret.name);
    }
  }
  for (const s of spec?.imagePullSecrets ?? []) if (s.name) secrets.add(s.name);
  return { configMaps, secrets };
}
