// Public surface of the image subsystem: references, the on-disk store, archive loading and registry pulls.
export { ImageError, InvalidImageNameError, isImageError, type ImageErrorKind } from './errors.js';
export {
  DEFAULT_DOMAIN,
  DEFAULT_TAG,
  familiarString,
  formatReference,
  isValidImageReference,
  normalizeImageReference,
  parseImageReference,
  withDefaultTag,
  type ImageReference,
} from './reference.js';
export { ImageStore, type ImageRecord, type ImageSummary, type ImageStoreOptions, type RemoveResult, type StoredLayer } from './store.js';
export { loadImageArchive } from './load.js';
export { pullImage, registryBaseURL, type PullOptions, type PullProgress } from './pull.js';
export { credentialsFor, type DockerConfigJSON, type DockerConfigEntry, type RegistryCredential } from './auth.js';
export { hostPlatform, MediaType, type ImageConfig, type ImageConfigFile, type Platform } from './oci.js';
