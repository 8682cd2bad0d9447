// The node's HTTP endpoint: KubeletServer and the log reading it serves.
export { KubeletServer, ContainerLogError, parseStreamTarget } from './server.js';
export type { ContainerLogResolver, ContainerLogTarget, KubeletServerOptions, StreamingHandler, StreamKind, StreamTarget } from './server.js';
export { readContainerLog, findTailStart, LogFormatter } from './logreader.js';
export type { ReadLogControl } from './logreader.js';
export { parseContainerLogQuery, LogOptionsError } from './logoptions.js';
export type { ContainerLogOptions, LogStreamSelector } from './logoptions.js';
export { parseCRILine, parseRFC3339, formatCRILine } from './crilog.js';
export type { CRILogRecord, LogStream } from './crilog.js';
