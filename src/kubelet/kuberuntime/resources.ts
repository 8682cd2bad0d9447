// Container resources → runtime cgroup settings (upstream kuberuntime_container_linux.go): memory limit,
// CPU shares from requests (2 for none), CFS quota from limits over a 100ms period.
import type { Container, Pod } from '../../api/core/v1/types.js';
import type { LinuxResources } from '../../runtime/types.js';
import { quantityToBytes, quantityToMilli } from '../../api/quantity.js';

export const cpuPeriodUs = 100_000;
const minShares = 2;
const maxShares = 262_144;
const minQuotaUs = 1000;

export function milliCPUToShares(milli: number): number {
  if (milli <= 0) return minShares;
  return Math.min(maxShares, Math.max(minShares, Math.floor((milli * 1024) / 1000)));
}

export function milliCPUToQuota(milli: number, period = cpuPeriodUs): number {
  if (milli <= 0) return 0;
  return Math.max(minQuotaUs, Math.floor((milli * period) / 1000));
}

export function containerResources(_pod: Pod, c: Container): LinuxResources {
  const out: LinuxResources = {};
  const lim = c.resources?.limits ?? {};
  const req = c.resources?.requests ?? {};
  const cpuReq = req.cpu ?? lim.cpu;
  out.cpuShares = milliCPUToShares(cpuReq !== undefined ? quantityToMilli(cpuReq) : 0);
  if (lim.cpu !== undefined) {
    out.cpuQuota = milliCPUToQuota(quantityToMilli(lim.cpu));
    out.cpuPeriod = cpuPeriodUs;
  }
  if (lim.memory !== undefined) out.memoryLimitBytes = quantityToBytes(lim.memory);
  return out;
}
