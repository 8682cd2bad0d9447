// NodeName filter: a pending pod that names a node in spec.nodeName... never reaches the scheduler (it is
// bound already); this plugin covers preemption's dry runs and keeps upstream's reason string.
import type { Plugin } from '../framework_types.js';

export const ERR_REASON_NODE_NAME = "node(s) didn't match the requested node name";

export const nodeNamePlugin: Plugin = {
  name: 'NodeName',
  events: [{ resource: 'Node', actions: ['Add'], label: 'NodeAdd' }],
  preFilter: (_s, pod) => {
    if (!pod.spec?.nodeName) return { skip: true };
  },
  filter: (_s, pod, ni) =>
    pod.spec?.nodeName && pod.spec.nodeName !== ni.node.metadata.name
      ? { code: 'UnschedulableAndUnresolvable', reasons: [ERR_REASON_NODE_NAME], plugin: 'NodeName' }
      : null,
};
