// On-disk layout of pod volumes, as upstream: <podsDir>/<uid>/volumes/kubernetes.io~<plugin>/<name>.
import path from 'node:path';
import type { Volume } from '../../api/core/v1/types.js';

export type VolumePlugin = 'empty-dir' | 'host-path' | 'configmap' | 'secret' | 'downward-api' | 'projected';

/** Volume sources k8ts can set up, keyed by their field in the Volume. */
const pluginBySource: Record<string, VolumePlugin> = {
  emptyDir: 'empty-dir',
  hostPath: 'host-path',
  configMap: 'configmap',
  secret: 'secret',
  downwardAPI: 'downward-api',
  projected: 'projected',
};

/** The plugin of a volume; a volume with no source at all is an emptyDir (the API default). */
export function pluginFor(vol: Volume): { plugin?: VolumePlugin; source: string } {
  const sources = Object.keys(vol).filter((k) => k !== 'name' && (vol as Record<string, unknown>)[k] != null);
  if (sources.length === 0) return { plugin: 'empty-dir', source: 'emptyDir' };
  const source = sources[0]!;
  return { plugin: pluginBySource[source], source };
}

/** Plugins whose content is projected from API objects (always mounted read-only, refreshed). */
export const projectedPlugins: ReadonlySet<VolumePlugin> = new Set(['configmap', 'secret', 'downward-api', 'projected']);

export function checkPodUID(uid: string | undefined): string {
  if (!uid || uid === '.' || uid === '..' || uid.includes('/') || uid.includes('\0')) {
    throw new Error(`invalid pod UID ${JSON.stringify(uid ?? '')}`);
  }
  return uid;
}

export function podDir(podsDir: string, uid: string): string {
  return path.join(podsDir, checkPodUID(uid));
}

export function podVolumesDir(podsDir: string, uid: string): string {
  return path.join(podDir(podsDir, uid), 'volumes');
}

export function volumeDir(podsDir: string, uid: string, plugin: VolumePlugin, name: string): string {
  return path.join(podVolumesDir(podsDir, uid), `kubernetes.io~${plugin}`, name);
}
