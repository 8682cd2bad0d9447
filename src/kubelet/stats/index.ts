// The node agent's resource stats: Summary API shapes, the stats provider over the CRI, /metrics/resource text.
export type * from './types.js';
export { StatsProvider, type StatsProviderOptions, type StatsRuntime } from './provider.js';
export { CpuRateTracker, type CpuSample } from './rate.js';
export { renderResourceMetrics } from './resource_metrics.js';
