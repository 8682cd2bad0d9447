// Streaming for the node endpoint (exec, attach, port-forward): protocol handlers and the runtime backend.
export { installStreamingHandlers } from './handlers.js';
export { RuntimeStreamingBackend } from './backend.js';
export type { RuntimeBackendDeps } from './backend.js';
export { StreamingError } from './session.js';
export type { ContainerRef, PodRef, ProcessSession, SessionOptions, StreamingBackend } from './session.js';
export * from './protocols.js';
export { exitCodeStatus, successStatus, errorChannelPayload } from './exit_status.js';
export { connectInProcess, connectLocalNode, duplexPair, registerInProcessNode } from './in_process.js';
