// The kubelet's VolumeManager: prepares every volume of a pod on the host (emptyDir, hostPath, configMap,
// secret, downwardAPI, projected), keeps projected content current, lists a container's bind mounts, and
// removes it all (tmpfs unmounted) when the pod goes away.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import type { Container, Pod, ResourceList, Volume } from '../../api/core/v1/types.js';
import { hostAllocatable } from '../resource_field.js';
import { writeAtomic, type Payload } from './atomic_writer.js';
import { memoryVolumeSize, setupDir } from './empty_dir.js';
import { checkHostPathType } from './host_path.js';
import { isMountPoint, mountsUnder, mountTmpfs, unmount } from './mount.js';
import { setVolumeOwnership } from './ownership.js';
import { checkPodUID, podDir, podVolumesDir, pluginFor, projectedPlugins, volumeDir, type VolumePlugin } from './paths.js';
import { configMapVolumePayload, defaultVolumeMode, downwardAPIPayload, projectedPayload, secretVolumePayload } from './payload.js';
import { expandSubPathExpr, resolveSubPath } from './subpath.js';
import { ContainerConfigError, VolumeSetupError, type HostMount, type ObjectSource, type VolumeContext, type VolumeManagerOptions } from './types.js';

const volumeNameRe = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export class VolumeManager {
  private readonly secretsInMemory: boolean;

  constructor(
    readonly podsDir: string,
    private readonly source: ObjectSource,
    readonly nodeName: string,
    private readonly options: VolumeManagerOptions = {},
  ) {
    this.secretsInMemory = options.secretsInMemory ?? process.getuid?.() === 0;
  }

  /** <podsDir>/<uid> */
  podDir(podUID: string): string {
    return podDir(this.podsDir, podUID);
  }

  /** Host path backing a pod volume (the hostPath itself for hostPath volumes). */
  volumePath(pod: Pod, vol: Volume): string {
    const { plugin, source } = pluginFor(vol);
    if (!plugin) throw new Error(`volume type ${source} is not supported by k8ts`);
    if (plugin === 'host-path') return vol.hostPath!.path;
    if (!volumeNameRe.test(vol.name)) throw new Error(`invalid volume name ${JSON.stringify(vol.name)}`);
    return volumeDir(this.podsDir, checkPodUID(pod.metadata.uid), plugin, vol.name);
  }

  /**
   * Prepares every volume of the pod; safe to call again (re-projects content, never remounts). Tries
   * every volume, then throws a VolumeSetupError for the first one that failed.
   */
  async setUp(pod: Pod, ctx: VolumeContext = {}): Promise<void> {
    const uid = checkPodUID(pod.metadata.uid);
    await fsp.mkdir(podVolumesDir(this.podsDir, uid), { recursive: true, mode: 0o750 });
    const errors: VolumeSetupError[] = [];
    for (const vol of pod.spec?.volumes ?? []) {
      try {
        await this.setUpVolume(pod, vol, ctx);
      } catch (e) {
        errors.push(e instanceof VolumeSetupError ? e : new VolumeSetupError(vol.name, (e as Error).message));
      }
    }
    if (errors.length) throw errors[0];
  }

  /**
   * Re-projects configMap/secret/downwardAPI/projected volumes that are set up, from current objects
   * and the given (possibly updated) pod. True when any volume's content changed.
   */
  async refresh(pod: Pod, ctx: VolumeContext = {}): Promise<boolean> {
    let changed = false;
    const errors: VolumeSetupError[] = [];
    for (const vol of pod.spec?.volumes ?? []) {
      const { plugin } = pluginFor(vol);
      if (!plugin || !projectedPlugins.has(plugin)) continue;
      let dir: string;
      try {
        dir = this.volumePath(pod, vol);
      } catch (e) {
        errors.push(new VolumeSetupError(vol.name, (e as Error).message));
        continue;
      }
      if (!fs.existsSync(dir)) continue;
      try {
        if (await this.project(pod, vol, plugin, dir, ctx)) changed = true;
      } catch (e) {
        errors.push(new VolumeSetupError(vol.name, (e as Error).message));
      }
    }
    if (errors.length) throw errors[0];
    return changed;
  }

  /**
   * The bind mounts of a container, in volumeMounts order. env is the container's environment, needed
   * for subPathExpr. Throws ContainerConfigError (unknown volume, bad subPath, Bidirectional when not
   * privileged).
   */
  mountsFor(pod: Pod, container: Container, env: Record<string, string> = {}): HostMount[] {
    const volumes = new Map((pod.spec?.volumes ?? []).map((v) => [v.name, v]));
    const out: HostMount[] = [];
    for (const m of container.volumeMounts ?? []) {
      const vol = volumes.get(m.name);
      const plugin = vol ? pluginFor(vol).plugin : undefined;
      if (!vol || !plugin) throw new ContainerConfigError(`cannot find volume "${m.name}" to mount into container "${container.name}"`);
      let hostPath: string;
      try {
        hostPath = this.volumePath(pod, vol);
      } catch (e) {
        throw new ContainerConfigError((e as Error).message);
      }
      if (plugin !== 'host-path' && !fs.existsSync(hostPath)) {
        throw new ContainerConfigError(`volume "${m.name}" of container "${container.name}" is not set up`);
      }
      let subPath = m.subPath ?? '';
      if (m.subPathExpr) subPath = expandSubPathExpr(m, env);
      if (subPath) hostPath = resolveSubPath(hostPath, subPath);
      out.push({
        name: m.name,
        hostPath,
        containerPath: m.mountPath,
        readOnly: !!m.readOnly || projectedPlugins.has(plugin),
        propagation: this.propagation(m.mountPropagation, container),
      });
    }
    return out;
  }

  /** Unmounts every mount under the pod's directory and removes it. */
  async tearDown(podUID: string): Promise<void> {
    const dir = this.podDir(podUID);
    if (!fs.existsSync(dir)) return;
    for (const mp of await mountsUnder(dir)) await unmount(mp);
    const left = await mountsUnder(dir);
    if (left.length) throw new Error(`pod ${podUID} still has mounts after unmounting: ${left.join(', ')}`);
    await fsp.rm(dir, { recursive: true, force: true });
  }

  private propagation(mode: string | undefined, container: Container): HostMount['propagation'] {
    switch (mode ?? 'None') {
      case 'None':
        return 'private';
      case 'HostToContainer':
        return 'rslave';
      case 'Bidirectional':
        if (!container.securityContext?.privileged) {
          throw new ContainerConfigError('Bidirectional mount propagation is available only to privileged containers');
        }
        return 'rshared';
      default:
        throw new ContainerConfigError(`invalid MountPropagation mode: ${mode}`);
    }
  }

  private allocatable(ctx: VolumeContext): ResourceList {
    return ctx.nodeAllocatable ?? this.options.nodeAllocatable ?? hostAllocatable();
  }

  private async setUpVolume(pod: Pod, vol: Volume, ctx: VolumeContext): Promise<void> {
    const { plugin, source } = pluginFor(vol);
    if (!plugin) throw new VolumeSetupError(vol.name, `volume type ${source} is not supported by k8ts`);
    if (plugin === 'host-path') {
      await checkHostPathType(vol.hostPath!);
      return;
    }
    const dir = this.volumePath(pod, vol);
    if (plugin === 'empty-dir') {
      const medium = vol.emptyDir?.medium ?? '';
      if (medium === 'Memory') {
        await this.ensureTmpfs(pod, dir, vol.emptyDir?.sizeLimit, ctx);
      } else if (medium === '') {
        await setupDir(dir);
      } else {
        throw new Error(`emptyDir medium ${medium} is not supported by k8ts`);
      }
      const fsGroup = pod.spec?.securityContext?.fsGroup;
      if (fsGroup !== undefined) await setVolumeOwnership(dir, fsGroup, false);
      return;
    }
    if ((plugin === 'secret' || plugin === 'projected') && this.secretsInMemory) await this.ensureTmpfs(pod, dir, undefined, ctx);
    else await setupDir(dir);
    await this.project(pod, vol, plugin, dir, ctx);
  }

  private async ensureTmpfs(pod: Pod, dir: string, sizeLimit: string | number | undefined, ctx: VolumeContext): Promise<void> {
    await setupDir(dir);
    if (await isMountPoint(dir)) return;
    const nodeAlloc = ctx.nodeAllocatable ?? this.options.nodeAllocatable;
    await mountTmpfs(dir, memoryVolumeSize(pod, sizeLimit, nodeAlloc));
  }

  private async payloadFor(pod: Pod, vol: Volume, plugin: VolumePlugin, ctx: VolumeContext): Promise<Payload> {
    switch (plugin) {
      case 'configmap':
        return configMapVolumePayload(pod, vol.configMap!, this.source);
      case 'secret':
        return secretVolumePayload(pod, vol.secret!, this.source);
      case 'downward-api':
        return downwardAPIPayload(vol.downwardAPI!.items, pod, vol.downwardAPI!.defaultMode ?? defaultVolumeMode, this.allocatable(ctx));
      case 'projected':
        return projectedPayload(pod, vol.projected!, this.source, this.allocatable(ctx));
      default:
        throw new Error(`volume plugin ${plugin} has no projected content`);
    }
  }

  private async project(pod: Pod, vol: Volume, plugin: VolumePlugin, dir: string, ctx: VolumeContext): Promise<boolean> {
    const payload = await this.payloadFor(pod, vol, plugin, ctx);
    const fsGroup = pod.spec?.securityContext?.fsGroup;
    return writeAtomic(dir, payload, {
      setPerms: fsGroup === undefined ? undefined : () => setVolumeOwnership(dir, fsGroup, true),
    });
  }
}
