// Schemas of metrics.k8s.io/v1beta1 NodeMetrics and PodMetrics (and their lists).
import type { Definitions } from './types.js';
import { str, ref, obj, arr, mapOf, kindSchema, listSchema, QUANTITY, META } from './build.js';

const M = 'io.k8s.metrics.pkg.apis.metrics.v1beta1.';
const usage = (d: string) => mapOf(ref(QUANTITY), d);

export const metricsV1beta1Definitions: Definitions = {
  [M + 'NodeMetrics']: kindSchema('metrics.k8s.io', 'v1beta1', 'NodeMetrics', 'The resource usage of a node.', {
    timestamp: ref(META + 'Time', 'The end of the interval the usage was measured over.'),
    window: str('The length of the interval the usage was measured over (e.g. 10s).'),
    usage: usage('The memory working set and CPU rate of the node.'),
  }),
  [M + 'NodeMetricsList']: listSchema('metrics.k8s.io', 'v1beta1', 'NodeMetricsList', M + 'NodeMetrics', 'node metrics'),
  [M + 'ContainerMetrics']: obj(
    'The resource usage of one container.',
    { name: str('Container name.'), usage: usage('The memory working set and CPU rate of the container.') },
    ['name', 'usage'],
  ),
  [M + 'PodMetrics']: kindSchema('metrics.k8s.io', 'v1beta1', 'PodMetrics', "The resource usage of a pod's containers.", {
    timestamp: ref(META + 'Time', 'The end of the interval the usage was measured over.'),
    window: str('The length of the interval the usage was measured over (e.g. 10s).'),
    containers: arr(ref(M + 'ContainerMetrics'), 'Metrics of every running container of the pod.', { listType: 'atomic' }),
  }),
  [M + 'PodMetricsList']: listSchema('metrics.k8s.io', 'v1beta1', 'PodMetricsList', M + 'PodMetrics', 'pod metrics'),
};
