// Image manager (upstream pkg/kubelet/images): makes sure a container's image is in the node's store under
// imagePullPolicy Always/IfNotPresent/Never, pulling with imagePullSecrets credentials and per-image
// backoff; reports upstream events (Pulling/Pulled/Failed/BackOff) and waiting reasons.
import type { Container, Pod, Secret } from '../../api/core/v1/types.js';
import {
  isImageError,
  isValidImageReference,
  normalizeImageReference,
  type DockerConfigJSON,
  type ImageRecord,
  type PullOptions,
} from '../../runtime/images/index.js';
import type { ImageService } from '../../runtime/cri.js';
import { Backoff } from '../kuberuntime/backoff.js';
import { containerFieldPath, type Recorder } from '../events.js';
import { objRef, type Logger } from '../../log/logger.js';

export type ImagePullReason = 'ErrImagePull' | 'ImagePullBackOff' | 'ErrImageNeverPull' | 'InvalidImageName';

export type EnsureImageResult =
  { ok: true; image: ImageRecord; ref: string; imageID: string } | { ok: false; reason: ImagePullReason; message: string; retryAfterMs?: number };

export type PullFn = (images: ImageService, ref: string, opts: PullOptions) => Promise<ImageRecord>;

/** Effective pull policy: the API defaults it, but be safe for objects that skipped defaulting. */
export function pullPolicyFor(c: Container): 'Always' | 'IfNotPresent' | 'Never' {
  if (c.imagePullPolicy) return c.imagePullPolicy;
  const image = c.image ?? '';
  const lastSlash = image.lastIndexOf('/');
  const tail = image.slice(lastSlash + 1);
  if (image.includes('@')) return 'IfNotPresent';
  const colon = tail.indexOf(':');
  return colon < 0 || tail.slice(colon + 1) === 'latest' ? 'Always' : 'IfNotPresent';
}

/** The `.dockerconfigjson` (or legacy `.dockercfg`) contents of pull secrets. */
export function dockerConfigsFromSecrets(secrets: Secret[]): DockerConfigJSON[] {
  const out: DockerConfigJSON[] = [];
  for (const s of secrets) {
    const raw = s.data?.['.dockerconfigjson'] ?? s.data?.['.dockercfg'];
    if (!raw) continue;
    try {
      const parsed = JSON.parse(Buffer.from(raw, 'base64').toString('utf8')) as DockerConfigJSON | DockerConfigJSON['auths'];
      out.push(s.data?.['.dockerconfigjson'] ? (parsed as DockerConfigJSON) : ({ auths: parsed } as DockerConfigJSON));
    } catch {
      /* malformed secret: ignored like upstream */
    }
  }
  return out;
}

/** Image ID as the API shows it: repo digest when known, else the config digest. */
export function imageIDOf(img: ImageRecord): string {
  return img.repoDigests[0] ?? img.id;
}

export class ImageManager {
  private inflight = new Map<string, Promise<ImageRecord>>();

  constructor(
    private readonly store: ImageService,
    private readonly recorder: Recorder,
    private readonly backoff: Backoff,
    private readonly pull: PullFn = (images, ref, opts) => images.pullImage(ref, opts),
    /** Pulls (done or failed) are logged here; an image already present is not. */
    private readonly log?: Logger,
  ) {}

  async ensureImageExists(pod: Pod, c: Container, auths: DockerConfigJSON[] = []): Promise<EnsureImageResult> {
    const image = c.image ?? '';
    const fp = containerFieldPath(pod, c.name);
    let ref: string;
    try {
      if (!image || !isValidImageReference(image)) throw new Error('invalid reference format');
      ref = normalizeImageReference(image);
    } catch (e) {
      const message = `Failed to apply default image tag "${image}": couldn't parse image name "${image}": ${(e as Error).message.replace(/^.*: /, '')}`;
      this.recorder.event(pod, 'Warning', 'InspectFailed', message, fp);
      return { ok: false, reason: 'InvalidImageName', message };
    }
    const policy = pullPolicyFor(c);
    const present = this.store.imageStatus(ref);
    if (present && policy !== 'Always') {
      this.recorder.event(pod, 'Normal', 'Pulled', `Container image "${image}" already present on machine`, fp);
      return { ok: true, image: present, ref, imageID: imageIDOf(present) };
    }
    if (policy === 'Never') {
      const message = `Container image "${image}" is not present with pull policy of Never`;
      this.recorder.event(pod, 'Warning', 'ErrImageNeverPull', message, fp);
      return { ok: false, reason: 'ErrImageNeverPull', message };
    }
    const key = `${pod.metadata.uid}/${ref}`;
    const last = this.lastFailure.get(key);
    if (last !== undefined && this.backoff.isInBackOffSince(key, last)) {
      const message = `Back-off pulling image "${image}"`;
      this.recorder.event(pod, 'Normal', 'BackOff', message, fp);
      return { ok: false, reason: 'ImagePullBackOff', message, retryAfterMs: this.backoff.remaining(key, last) };
    }
    this.recorder.event(pod, 'Normal', 'Pulling', `Pulling image "${image}"`, fp);
    const started = Date.now();
    try {
      // Several containers (or pods) wanting the same image share one pull.
      let p = this.inflight.get(ref);
      if (!p) {
        p = this.pull(this.store, ref, { auths });
        this.inflight.set(ref, p);
        void p.then(
          () => this.inflight.delete(ref),
          () => this.inflight.delete(ref),
        );
      }
      const img = await p;
      this.lastFailure.delete(key);
      this.backoff.reset(key);
      const secs = ((Date.now() - started) / 1000).toFixed(3);
      this.log?.info(
        { pod: objRef(pod.metadata), container: c.name, image: ref, imageID: imageIDOf(img), size: img.size, durationMs: Date.now() - started },
        'Pulled image',
      );
      this.recorder.event(
        pod,
        'Normal',
        'Pulled',
        `Successfully pulled image "${image}" in ${secs}s (${secs}s including waiting). Image size: ${img.size} bytes.`,
        fp,
      );
      return { ok: true, image: img, ref, imageID: imageIDOf(img) };
    } catch (e) {
      const now = Date.now();
      this.backoff.next(key, now);
      this.lastFailure.set(key, now);
      const why = isImageError(e) ? e.message : (e as Error).message;
      if (isImageError(e) && e.reason === 'InvalidImageName') {
        this.recorder.event(pod, 'Warning', 'InspectFailed', why, fp);
        return { ok: false, reason: 'InvalidImageName', message: why };
      }
      const message = `Failed to pull image "${image}": ${why}`;
      this.log?.warn({ pod: objRef(pod.metadata), container: c.name, image: ref, err: why, retryAfterMs: this.backoff.get(key) }, 'Failed to pull image');
      this.recorder.event(pod, 'Warning', 'Failed', message, fp);
      this.recorder.event(pod, 'Warning', 'Failed', 'Error: ErrImagePull', fp);
      return { ok: false, reason: 'ErrImagePull', message, retryAfterMs: this.backoff.get(key) };
    }
  }

  private lastFailure = new Map<string, number>();

  /** Forget a removed pod's pull backoff. */
  forgetPod(uid: string): void {
    this.backoff.resetPrefix(`${uid}/`);
    for (const k of this.lastFailure.keys()) if (k.startsWith(`${uid}/`)) this.lastFailure.delete(k);
  }
}
