// Test helpers for kubelet volume/env tests: an in-memory ObjectSource, pod builders, temp dirs that are
// unmounted and removed afterwards.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import type { ConfigMap, Pod, Secret } from '../../../src/api/core/v1/types.js';
import type { ObjectSource } from '../../../src/kubelet/volumes/types.js';

export class FakeSource implements ObjectSource {
  configMaps = new Map<string, ConfigMap>();
  secrets = new Map<string, Secret>();
  reads = 0;
  async getConfigMap(ns: string, name: string): Promise<ConfigMap | undefined> {
    this.reads++;
    return structuredClone(this.configMaps.get(`${ns}/${name}`));
  }
  async getSecret(ns: string, name: string): Promise<Secret | undefined> {
    this.reads++;
    return structuredClone(this.secrets.get(`${ns}/${name}`));
  }
  putConfigMap(name: string, data: Record<string, string>, binaryData?: Record<string, string>, ns = 'default'): void {
    this.configMaps.set(`${ns}/${name}`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns }, data, binaryData });
  }
  /** data given as plain strings; stored base64-encoded like the API. */
  putSecret(name: string, data: Record<string, string | Buffer>, ns = 'default'): void {
    const enc: Record<string, string> = {};
    for (const [k, v] of Object.entries(data)) enc[k] = Buffer.from(v).toString('base64');
    this.secrets.set(`${ns}/${name}`, { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: ns }, data: enc, type: 'Opaque' });
  }
}

let podCounter = 0;
export function makePod(spec: Partial<NonNullable<Pod['spec']>>, meta: Partial<Pod['metadata']> = {}): Pod {
  podCounter++;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `p${podCounter}`, namespace: 'default', uid: `uid-${process.pid}-${podCounter}-${Date.now()}`, ...meta },
    spec: { containers: [{ name: 'c', image: 'busybox' }], ...spec },
  };
}

export function makeTempDir(tag: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `k8ts-${tag}-`));
}

/** Mount points at/below dir per /proc/self/mountinfo. */
export function mountPointsUnder(dir: string): string[] {
  const real = fs.realpathSync(dir);
  return fs
    .readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split(' ')[4]!.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8))))
    .filter((p) => p === real || p.startsWith(real + '/'));
}

/** Last-resort cleanup: lazy-unmount anything left under dir, then remove it. */
export function removeTempDir(dir: string): void {
  if (!fs.existsSync(dir)) return;
  for (const mp of mountPointsUnder(dir).sort((a, b) => b.length - a.length)) {
    try {
      execFileSync('umount', ['-l', mp]);
    } catch {
      /* already gone */
    }
  }
  if (mountPointsUnder(dir).length === 0) fs.rmSync(dir, { recursive: true, force: true });
}

export function mode(p: string): number {
  return fs.statSync(p).mode & 0o7777;
}

export const isRoot = process.getuid?.() === 0;
