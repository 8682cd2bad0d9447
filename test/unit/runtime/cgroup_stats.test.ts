// cgroup stats parsing: v1 and v2 memory working set (usage − inactive_file), v2 cpu.stat, /proc/stat and
// /proc/meminfo, and reading a fake cgroupfs tree of each layout.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cpuFromProcStat, cpuFromV2, memoryFromV1, memoryFromV2, parseMeminfo, readCgroupUsage, readNodeUsage } from '../../../src/runtime/cgroup_stats.js';

const V1_STAT = 'cache 4096\nrss 8192\ninactive_file 100\ntotal_cache 4096\ntotal_rss 8192\ntotal_inactive_file 1000\ntotal_pgfault 7\ntotal_pgmajfault 1\n';

describe('cgroup stats parsing', () => {
  it('v1 memory: hierarchical inactive_file taken off usage', () => {
    const m = memoryFromV1('20000\n', V1_STAT);
    assert.deepEqual(m, { memoryUsageBytes: 20000, memoryWorkingSetBytes: 19000, memoryRssBytes: 8192, pageFaults: 7, majorPageFaults: 1 });
  });

  it('working set never goes below zero', () => {
    assert.equal(memoryFromV1('500', V1_STAT).memoryWorkingSetBytes, 0);
  });

  it('v2 memory and cpu.stat', () => {
    const m = memoryFromV2('30000', 'anon 2048\nfile 4096\ninactive_file 5000\npgfault 3\npgmajfault 0\n');
    assert.equal(m.memoryWorkingSetBytes, 25000);
    assert.equal(m.memoryRssBytes, 2048);
    assert.equal(cpuFromV2('usage_usec 1500\nuser_usec 1000\nsystem_usec 500\n'), 1_500_000);
    assert.equal(cpuFromV2('nr_periods 0\n'), undefined);
  });

  it('/proc/stat busy time excludes idle and iowait', () => {
    // user nice system idle iowait irq softirq steal
    const ns = cpuFromProcStat('cpu  100 10 50 9000 40 5 5 0 0 0\ncpu0 1 2 3 4 5 6 7 8\n');
    assert.equal(ns, (170 * 1e9) / 100);
  });

  it('/proc/meminfo in bytes', () => {
    const m = parseMeminfo('MemTotal:       2048 kB\nMemFree:         512 kB\nMemAvailable:   1024 kB\nHugePages_Total:       0\n');
    assert.equal(m.get('MemTotal'), 2048 * 1024);
    assert.equal(m.get('MemAvailable'), 1024 * 1024);
    assert.equal(m.get('HugePages_Total'), 0);
  });
});

describe('reading a cgroup tree', () => {
  it('v1 hierarchies (cpuacct + memory)', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'k8ts-cg-'));
    try {
      mkdirSync(path.join(root, 'cpuacct/k8ts/podx/c1'), { recursive: true });
      mkdirSync(path.join(root, 'memory/k8ts/podx/c1'), { recursive: true });
      writeFileSync(path.join(root, 'cpuacct/k8ts/podx/c1/cpuacct.usage'), '123456789\n');
      writeFileSync(path.join(root, 'memory/k8ts/podx/c1/memory.usage_in_bytes'), '20000\n');
      writeFileSync(path.join(root, 'memory/k8ts/podx/c1/memory.stat'), V1_STAT);
      const u = await readCgroupUsage('/k8ts/podx/c1', root);
      assert.equal(u?.cpuUsageCoreNanoSeconds, 123456789);
      assert.equal(u?.memoryWorkingSetBytes, 19000);
      assert.equal(await readCgroupUsage('/k8ts/podx/gone', root), undefined);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('v2 unified tree', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'k8ts-cg-'));
    try {
      mkdirSync(path.join(root, 'k8ts/podx/c1'), { recursive: true });
      writeFileSync(path.join(root, 'k8ts/podx/c1/cpu.stat'), 'usage_usec 2000\n');
      writeFileSync(path.join(root, 'k8ts/podx/c1/memory.current'), '8000\n');
      writeFileSync(path.join(root, 'k8ts/podx/c1/memory.stat'), 'anon 100\ninactive_file 3000\n');
      const u = await readCgroupUsage('k8ts/podx/c1', root);
      assert.equal(u?.cpuUsageCoreNanoSeconds, 2_000_000);
      assert.equal(u?.memoryWorkingSetBytes, 5000);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('node totals fall back to /proc without a v1 root', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'k8ts-cg-'));
    try {
      mkdirSync(path.join(root, 'proc'));
      writeFileSync(path.join(root, 'proc/stat'), 'cpu  200 0 100 1000 0 0 0 0\n');
      writeFileSync(path.join(root, 'proc/meminfo'), 'MemTotal: 1000 kB\nMemFree: 200 kB\nMemAvailable: 500 kB\nInactive(file): 100 kB\n');
      const u = await readNodeUsage(path.join(root, 'nocgroup'), path.join(root, 'proc'));
      assert.equal(u.cpuUsageCoreNanoSeconds, 3e9);
      assert.equal(u.memoryUsageBytes, 800 * 1024);
      assert.equal(u.memoryWorkingSetBytes, 700 * 1024);
      assert.equal(u.memoryAvailableBytes, 500 * 1024);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
