// Public surface of the kubelet's volume manager.
export { VolumeManager } from './manager.js';
export { VolumeSetupError, ContainerConfigError } from './types.js';
export type { HostMount, ObjectSource, VolumeContext, VolumeManagerOptions } from './types.js';
export { writeAtomic, type FileProjection, type Payload } from './atomic_writer.js';
export { tmpfsSource } from './mount.js';
