// The API server's proxy to node agents: createNodeProxy (Services.nodeProxy) and its parts.
export { createNodeProxy } from './node_proxy.js';
export type { NodeProxy, NodeProxyLookup, NodeProxyOptions } from './node_proxy.js';
export { resolveContainer, containerLogStatusError, allContainerNames } from './containers.js';
export { nodeConnectionInfo, joinHostPort, DEFAULT_KUBELET_PORT, PREFERRED_ADDRESS_TYPES } from './node_conn.js';
export type { NodeConnectionInfo } from './node_conn.js';
export { parsePodLogOptions, containerLogsQuery } from './pod_log_options.js';
export type { PodLogOptions } from './pod_log_options.js';
export { streamFromNode, nodeErrorStatus } from './stream.js';
export { createNodeUpgradeProxy, writeUpgradeError } from './upgrade.js';
export type { NodeUpgradeProxy } from './upgrade.js';
export { createNodeGetter } from './node_get.js';
export type { NodeGetter } from './node_get.js';
