// The RBAC policy in memory: every Role, ClusterRole, RoleBinding and ClusterRoleBinding, listed once from the
// store and kept current by its watch (relisted if the watch ends), with bindings indexed by subject so a
// decision reads only the bindings that can apply to the user — no store read per request.
import type { KubeObject } from '../../../api/types.js';
import type { ClusterRole, PolicyRule, Role, RoleBinding, Subject } from '../../../api/rbac/v1/types.js';
import type { Storage, StoreEvent, StoreWatcher } from '../../../storage/interface.js';
import { SERVICE_ACCOUNT_PREFIX } from '../../filters/user.js';

const PREFIX = '/registry/rbac.authorization.k8s.io/';
export const RBAC_PREFIXES = {
  roles: `${PREFIX}roles/`,
  clusterroles: `${PREFIX}clusterroles/`,
  rolebindings: `${PREFIX}rolebindings/`,
  clusterrolebindings: `${PREFIX}clusterrolebindings/`,
} as const;
type Kind = keyof typeof RBAC_PREFIXES;

/** The index key of a subject: users and service accounts by user name, groups by group name. */
export function subjectKey(s: Subject, bindingNamespace: string): string | undefined {
  switch (s.kind) {
    case 'User':
      return `u:${s.name}`;
    case 'Group':
      return `g:${s.name}`;
    case 'ServiceAccount': {
      const ns = s.namespace || bindingNamespace;
      return ns ? `u:${SERVICE_ACCOUNT_PREFIX}${ns}:${s.name}` : undefined;
    }
    default:
      return undefined;
  }
}

/** A binding as the index holds it, with the subject it was found under (for the "allowed by" reason). */
export interface IndexedBinding {
  binding: RoleBinding;
  subject: Subject;
}

class BindingIndex {
  private byKey = new Map<string, IndexedBinding[]>();
  private byName = new Map<string, RoleBinding>();

  set(name: string, b: RoleBinding | undefined): void {
    const old = this.byName.get(name);
    if (old) this.unindex(old);
    if (b) {
      this.byName.set(name, b);
      for (const s of b.subjects ?? []) {
        const k = subjectKey(s, b.metadata.namespace ?? '');
        if (!k) continue;
        let list = this.byKey.get(k);
        if (!list) this.byKey.set(k, (list = []));
        list.push({ binding: b, subject: s });
      }
    } else {
      this.byName.delete(name);
    }
  }

  private unindex(b: RoleBinding): void {
    for (const [k, list] of this.byKey) {
      const kept = list.filter((e) => e.binding !== b);
      if (kept.length === list.length) continue;
      if (kept.length) this.byKey.set(k, kept);
      else this.byKey.delete(k);
    }
  }

  get(key: string): readonly IndexedBinding[] | undefined {
    return this.byKey.get(key);
  }

  all(): IterableIterator<RoleBinding> {
    return this.byName.values();
  }
}

export class PolicyCache {
  readonly roles = new Map<string, Role>(); // "ns/name"
  readonly clusterRoles = new Map<string, ClusterRole>();
  readonly clusterRoleBindings = new BindingIndex();
  /** namespace → its RoleBindings */
  private roleBindings = new Map<string, BindingIndex>();
  private watchers = new Map<Kind, StoreWatcher>();
  private stopped = false;
  /** Called after any change (the aggregation of cluster roles and tests listen). */
  onChange?: (kind: Kind, obj: KubeObject) => void;

  constructor(private readonly storage: Storage) {}

  /** Lists everything, then watches; resolves once the cache holds the whole policy. */
  async start(): Promise<void> {
    await Promise.all((Object.keys(RBAC_PREFIXES) as Kind[]).map((k) => this.sync(k)));
  }

  stop(): void {
    this.stopped = true;
    for (const w of this.watchers.values()) w.stop();
    this.watchers.clear();
  }

  roleBindingsIn(namespace: string): BindingIndex | undefined {
    return this.roleBindings.get(namespace);
  }

  /** Rules of the role a binding references, or why it has none (upstream's "... not found" errors). */
  rulesOf(b: RoleBinding): { rules: readonly PolicyRule[]; error?: string } {
    const ref = b.roleRef;
    if (ref?.kind === 'ClusterRole') {
      const r = this.clusterRoles.get(ref.name);
      return r ? { rules: r.rules ?? [] } : { rules: [], error: `clusterrole.rbac.authorization.k8s.io "${ref.name}" not found` };
    }
    if (ref?.kind === 'Role') {
      const r = this.roles.get(`${b.metadata.namespace}/${ref.name}`);
      return r ? { rules: r.rules ?? [] } : { rules: [], error: `role.rbac.authorization.k8s.io "${ref.name}" not found` };
    }
    return { rules: [], error: `unknown role kind ${JSON.stringify(ref?.kind ?? '')}` };
  }

  private async sync(kind: Kind): Promise<void> {
    if (this.stopped) return;
    const prefix = RBAC_PREFIXES[kind];
    const { items, resourceVersion } = await this.storage.list(prefix);
    this.reset(kind);
    for (const o of items) this.apply(kind, o, false);
    this.watchers.get(kind)?.stop();
    this.watchers.set(
      kind,
      this.storage.watch(prefix, {
        fromRV: resourceVersion,
        onEvent: (ev: StoreEvent) => this.apply(kind, ev.object, ev.type === 'DELETED'),
        // a dropped watch (too slow, history expired) relists, as a reflector does
        onClose: () => {
          if (!this.stopped) void this.sync(kind).catch(() => setTimeout(() => void this.sync(kind), 1000).unref());
        },
      }),
    );
  }

  private reset(kind: Kind): void {
    switch (kind) {
      case 'roles':
        this.roles.clear();
        break;
      case 'clusterroles':
        this.clusterRoles.clear();
        break;
      case 'rolebindings':
        this.roleBindings.clear();
        break;
      case 'clusterrolebindings':
        for (const b of [...this.clusterRoleBindings.all()]) this.clusterRoleBindings.set(b.metadata.name!, undefined);
        break;
    }
  }

  private apply(kind: Kind, obj: KubeObject, deleted: boolean): void {
    const name = obj.metadata.name ?? '';
    const ns = obj.metadata.namespace ?? '';
    switch (kind) {
      case 'roles':
        if (deleted) this.roles.delete(`${ns}/${name}`);
        else this.roles.set(`${ns}/${name}`, obj as Role);
        break;
      case 'clusterroles':
        if (deleted) this.clusterRoles.delete(name);
        else this.clusterRoles.set(name, obj as ClusterRole);
        break;
      case 'rolebindings': {
        let idx = this.roleBindings.get(ns);
        if (!idx) this.roleBindings.set(ns, (idx = new BindingIndex()));
        idx.set(name, deleted ? undefined : (obj as RoleBinding));
        break;
      }
      case 'clusterrolebindings':
        this.clusterRoleBindings.set(name, deleted ? undefined : (obj as RoleBinding));
        break;
    }
    this.onChange?.(kind, obj);
  }
}
