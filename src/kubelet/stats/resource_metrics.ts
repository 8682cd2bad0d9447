// /metrics/resource: the Summary rendered as the kubelet's resource metrics in Prometheus text format
// (container_/pod_/node_ cpu_usage_seconds_total and memory_working_set_bytes, container_start_time_seconds).
import type { Summary } from './types.js';

type Labels = Record<string, string>;

const esc = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
const fmtLabels = (l: Labels) => {
  const ks = Object.keys(l);
  return ks.length ? `{${ks.map((k) => `${k}="${esc(l[k])}"`).join(',')}}` : '';
};
const ms = (t: string | undefined) => (t ? Date.parse(t) : NaN);

interface Family {
  name: string;
  help: string;
  type: 'counter' | 'gauge';
  samples: string[];
}

export function renderResourceMetrics(s: Summary): string {
  const fam = (name: string, type: Family['type'], help: string): Family => ({ name, help, type, samples: [] });
  const cStart = fam('container_start_time_seconds', 'gauge', '[STABLE] Start time of the container since unix epoch in seconds');
  const cCpu = fam('container_cpu_usage_seconds_total', 'counter', '[STABLE] Cumulative cpu time consumed by the container in core-seconds');
  const cMem = fam('container_memory_working_set_bytes', 'gauge', '[STABLE] Current working set of the container in bytes');
  const pCpu = fam('pod_cpu_usage_seconds_total', 'counter', '[STABLE] Cumulative cpu time consumed by the pod in core-seconds');
  const pMem = fam('pod_memory_working_set_bytes', 'gauge', '[STABLE] Current working set of the pod in bytes');
  const nCpu = fam('node_cpu_usage_seconds_total', 'counter', '[STABLE] Cumulative cpu time consumed by the node in core-seconds');
  const nMem = fam('node_memory_working_set_bytes', 'gauge', '[STABLE] Current working set of the node in bytes');
  const add = (f: Family, l: Labels, v: number | undefined, t: string | undefined) => {
    if (v === undefined) return;
    const ts = ms(t);
    f.samples.push(`${f.name}${fmtLabels(l)} ${v}${Number.isFinite(ts) ? ` ${ts}` : ''}`);
  };
  const nsec = (n: number | undefined) => (n === undefined ? undefined : n / 1e9);
  add(nCpu, {}, nsec(s.node.cpu?.usageCoreNanoSeconds), s.node.cpu?.time);
  add(nMem, {}, s.node.memory?.workingSetBytes, s.node.memory?.time);
  for (const p of s.pods) {
    const pl = { namespace: p.podRef.namespace, pod: p.podRef.name };
    add(pCpu, pl, nsec(p.cpu?.usageCoreNanoSeconds), p.cpu?.time);
    add(pMem, pl, p.memory?.workingSetBytes, p.memory?.time);
    for (const c of p.containers) {
      const cl = { container: c.name, ...pl };
      const st = ms(c.startTime);
      if (Number.isFinite(st)) cStart.samples.push(`${cStart.name}${fmtLabels(cl)} ${st / 1000}`);
      add(cCpu, cl, nsec(c.cpu?.usageCoreNanoSeconds), c.cpu?.time);
      add(cMem, cl, c.memory?.workingSetBytes, c.memory?.time);
    }
  }
  const out: string[] = [];
  for (const f of [cCpu, cMem, cStart, nCpu, nMem, pCpu, pMem]) {
    out.push(`# HELP ${f.name} ${f.help}`, `# TYPE ${f.name} ${f.type}`, ...f.samples);
  }
  out.push('# HELP scrape_error [STABLE] 1 if there was an error while getting container metrics, 0 otherwise', '# TYPE scrape_error gauge', 'scrape_error 0');
  return out.join('\n') + '\n';
}
