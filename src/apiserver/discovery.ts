// Discovery documents: /api, /apis, /api/v1, /apis/<group>/<version> (legacy), the aggregated
// APIGroupDiscoveryList (apidiscovery.k8s.io v2 and v2beta1), and /version.
import { createHash } from 'node:crypto';
import { apiVersionOf, DEFAULT_VERBS, type ResourceDef, type ResourceRegistry } from './registry.js';

/**
 * The Kubernetes release whose API k8ts serves (its kinds, fields and behaviour), as /version, the OpenAPI
 * documents' info.version and the node's kubeletVersion report it. "+k8ts" is semver build metadata, so
 * kubectl's version-skew check reads 1.33 (kubectl 1.32 – 1.34 print no skew warning).
 */
export const KUBE_VERSION = { major: '1', minor: '33', gitVersion: 'v1.33.0+k8ts' };

export function versionInfo() {
  return {
    major: KUBE_VERSION.major,
    minor: KUBE_VERSION.minor,
    gitVersion: KUBE_VERSION.gitVersion,
    gitCommit: 'k8ts',
    gitTreeState: 'clean',
    buildDate: '2026-11-23T00:00:00Z',
    goVersion: `node${process.versions.node}`,
    compiler: 'tsc',
    platform: `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`,
  };
}

function storageVersionHash(def: ResourceDef): string {
  return createHash('sha256').update(`${def.group}/${def.version}/${def.kind}`).digest('base64').slice(0, 11);
}

export function apiVersions(serverAddress: string) {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

export function apiResourceList(registry: ResourceRegistry, group: string, version: string) {
  const resources: unknown[] = [];
  for (const d of registry.inGroupVersion(group, version)) {
    const entry: Record<string, unknown> = {
      name: d.resource,
      singularName: d.singular,
      namespaced: d.namespaced,
      kind: d.kind,
      verbs: d.verbs ?? DEFAULT_VERBS,
      storageVersionHash: storageVersionHash(d),
    };
    if (d.shortNames?.length) entry.shortNames = d.shortNames;
    if (d.categories?.length) entry.categories = d.categories;
    resources.push(entry);
    for (const [sub, s] of Object.entries(d.subresources ?? {})) {
      const entry: Record<string, unknown> = { name: `${d.resource}/${sub}`, singularName: '', namespaced: d.namespaced };
      // a subresource of another group's kind names its group and version (pods/eviction: policy/v1), as kubectl drain reads it
      if (s.kind && (s.kind.version || s.kind.group !== d.group)) {
        entry.group = s.kind.group;
        entry.version = s.kind.version ?? d.version;
      }
      entry.kind = s.kind?.kind ?? d.kind;
      entry.verbs = s.verbs;
      resources.push(entry);
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group ? `${group}/${version}` : version, resources };
}

export function apiGroupList(registry: ResourceRegistry) {
  const groups = [...registry.groups()].map(([name, versions]) => apiGroup(name, versions));
  return { kind: 'APIGroupList', apiVersion: 'v1', groups };
}

export function apiGroup(name: string, versions: string[]) {
  const vs = versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v }));
  return { kind: 'APIGroup', apiVersion: 'v1', name, versions: vs, preferredVersion: vs[0] };
}

function discoveryResource(d: ResourceDef) {
  const out: Record<string, unknown> = {
    resource: d.resource,
    responseKind: { group: d.group, version: d.version, kind: d.kind },
    scope: d.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: d.singular,
    verbs: d.verbs ?? DEFAULT_VERBS,
  };
  if (d.shortNames?.length) out.shortNames = d.shortNames;
  if (d.categories?.length) out.categories = d.categories;
  const subs = Object.entries(d.subresources ?? {});
  if (subs.length) {
    out.subresources = subs.map(([sub, s]) => ({
      subresource: sub,
      responseKind: { group: s.kind?.group ?? d.group, version: s.kind?.version ?? d.version, kind: s.kind?.kind ?? d.kind },
      verbs: s.verbs,
    }));
  }
  return out;
}

/** Aggregated discovery for /api (core) or /apis (every named group). */
export function aggregatedDiscovery(registry: ResourceRegistry, core: boolean, v: 'v2' | 'v2beta1') {
  const groups = core ? new Map([['', ['v1']]]) : registry.groups();
  const items = [...groups].map(([name, versions]) => ({
    metadata: { name, creationTimestamp: null },
    versions: versions.map((version) => ({
      version,
      resources: registry.inGroupVersion(name, version).map(discoveryResource),
      freshness: 'Current',
    })),
  }));
  return { kind: 'APIGroupDiscoveryList', apiVersion: `apidiscovery.k8s.io/${v}`, metadata: {}, items };
}

export function groupVersionsOf(registry: ResourceRegistry): string[] {
  const out = ['v1'];
  for (const [g, vs] of registry.groups()) for (const v of vs) out.push(`${g}/${v}`);
  return out;
}

export { apiVersionOf };
