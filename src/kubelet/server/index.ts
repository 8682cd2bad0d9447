// The node's HTTP endpoint: KubeletServer and the log reading it serves.
export { KubeletServer, ContainerLogError, parseStreamTarget } from './server.js';
export type { ContainerLogResolver, ContainerLogTarget, KubeletServerOptions, NodeServingTLS, StreamingHandler, StreamKind, StreamTarget } from './server.js';
export { readContainerLog, findTailStart, LogFormatter } from './log_reader.js';
export type { ReadLogControl } from './log_reader.js';
export { parseContainerLogQuery, LogOptionsError } from './log_options.js';
export type { ContainerLogOptions, LogStreamSelector } from './log_options.js';
export { parseCRILine, parseRFC3339, formatCRILine } from './crilog.js';
export type { CRILogRecord, LogStream } from './crilog.js';
export { WebhookNodeAuthorizer, WebhookTokenAuthenticator } from './webhook_auth.js';
