// The API server's proxy to node agents: createNodeProxy (Services.nodeProxy) and its parts.
export { createNodeProxy } from './nodeproxy.js';
export type { NodeProxy, NodeProxyLookup, NodeProxyOptions } from './nodeproxy.js';
export { resolveContainer, containerLogStatusError, allContainerNames } from './containers.js';
export { nodeConnectionInfo, joinHostPort, DEFAULT_KUBELET_PORT, PREFERRED_ADDRESS_TYPES } from './nodeconn.js';
export type { NodeConnectionInfo } from './nodeconn.js';
export { parsePodLogOptions, containerLogsQuery } from './podlogoptions.js';
export type { PodLogOptions } from './podlogoptions.js';
export { streamFromNode, nodeErrorStatus } from './stream.js';
export { createNodeUpgradeProxy, writeUpgradeError } from './upgrade.js';
export type { NodeUpgradeProxy } from './upgrade.js';
