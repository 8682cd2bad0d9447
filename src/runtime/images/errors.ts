// Typed image errors: InvalidImageName for bad references, and pull/load failures classified so the kubelet can
// map them onto ErrImagePull / ImagePullBackOff messages (not found, unauthorized, network, digest mismatch).

/** Why an image operation failed. `InvalidImageName` maps to the kubelet reason of the same name; the rest to ErrImagePull. */
export type ImageErrorKind = 'InvalidImageName' | 'NotFound' | 'Unauthorized' | 'Network' | 'DigestMismatch' | 'Invalid' | 'Unsupported';

export class ImageError extends Error {
  constructor(
    public readonly kind: ImageErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ImageError';
  }
  /** The container waiting reason the kubelet reports for this failure. */
  get reason(): 'InvalidImageName' | 'ErrImagePull' {
    return this.kind === 'InvalidImageName' ? 'InvalidImageName' : 'ErrImagePull';
  }
}

export class InvalidImageNameError extends ImageError {
  constructor(
    public readonly image: string,
    why = 'invalid reference format',
  ) {
    super('InvalidImageName', `couldn't parse image name "${image}": ${why}`);
    this.name = 'InvalidImageNameError';
  }
}

export function isImageError(e: unknown): e is ImageError {
  return e instanceof ImageError;
}
