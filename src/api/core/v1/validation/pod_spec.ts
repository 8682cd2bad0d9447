// PodSpec validation: containers (app/init/ephemeral), volumes, policies, scheduling fields (nodeSelector,
// tolerations, topologySpreadConstraints, node and pod affinity), host namespaces and ports, DNS, hostAliases.
import { fieldErr } from '../../../errors.js';
import { isDNS1123Label, isDNS1123Subdomain, isValidLabelValue } from '../../../names.js';
import { type Causes, isValidIP, validateDNS1123Label, validateLabels, validateNonnegative, validateQualifiedName } from '../../../validation/field.js';
import { validateLabelSelector } from '../../../labels.js';
import type { PodSpec, Toleration, TopologySpreadConstraint, Affinity, NodeSelectorTerm, PodAffinityTerm } from '../types.js';
import { validateContainer, type ContainerContext } from './container.js';
import { validateVolumes } from './volumes.js';

const restartPolicies = ['Always', 'OnFailure', 'Never'];
const dnsPolicies = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
export const taintEffects = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];
const maxInt32 = 2147483647;

export function validateTaintEffect(effect: string | undefined, allowEmpty: boolean, field: string): Causes {
  if (!effect) return allowEmpty ? [] : [fieldErr.required(field)];
  return taintEffects.includes(effect) ? [] : [fieldErr.notSupported(field, effect, taintEffects)];
}

export function validateTolerations(tolerations: Toleration[] | undefined, field: string): Causes {
  const out: Causes = [];
  (tolerations ?? []).forEach((t, i) => {
    const p = `${field}[${i}]`;
    if (t.key) out.push(...validateQualifiedName(t.key, `${p}.key`));
    if (!t.key && t.operator !== 'Exists')
      out.push(fieldErr.invalid(`${p}.operator`, t.operator ?? '', 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null && t.effect !== 'NoExecute')
      out.push(fieldErr.invalid(`${p}.effect`, t.effect ?? '', "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    switch (t.operator as string | undefined) {
      case 'Equal':
      case '':
      case undefined: {
        const errs = isValidLabelValue(t.value ?? '');
        if (errs.length) out.push(fieldErr.invalid(`${p}.operator`, t.value, errs.join(';')));
        break;
      }
      case 'Exists':
        if (t.value) out.push(fieldErr.invalid(`${p}.operator`, t, "value must be empty when `operator` is 'Exists'"));
        break;
      default:
        out.push(fieldErr.notSupported(`${p}.operator`, t.operator, ['Equal', 'Exists']));
    }
    if (t.effect) out.push(...validateTaintEffect(t.effect, true, `${p}.effect`));
  });
  return out;
}

const nodeInclusionPolicies = ['Honor', 'Ignore'];

/** upstream validateTopologySpreadConstraints. */
function validateTopologySpread(cs: TopologySpreadConstraint[] | undefined, field: string): Causes {
  const out: Causes = [];
  const seen = new Set<string>();
  (cs ?? []).forEach((c, i) => {
    const p = `${field}[${i}]`;
    if (!(typeof c.maxSkew === 'number' && c.maxSkew > 0)) out.push(fieldErr.invalid(`${p}.maxSkew`, c.maxSkew ?? 0, 'must be greater than zero'));
    if (!c.topologyKey) out.push(fieldErr.required(`${p}.topologyKey`, 'can not be empty'));
    else out.push(...validateQualifiedName(c.topologyKey, `${p}.topologyKey`));
    const wu = ['DoNotSchedule', 'ScheduleAnyway'];
    if (!wu.includes(c.whenUnsatisfiable)) out.push(fieldErr.notSupported(`${p}.whenUnsatisfiable`, c.whenUnsatisfiable ?? '', wu));
    if (c.minDomains !== undefined && c.minDomains !== null) {
      if (!(c.minDomains > 0)) out.push(fieldErr.invalid(`${p}.minDomains`, c.minDomains, 'must be greater than zero'));
      if (c.whenUnsatisfiable !== 'DoNotSchedule')
        out.push(
          fieldErr.invalid(`${p}.minDomains`, c.minDomains, `can only use minDomains if whenUnsatisfiable=DoNotSchedule, not ${c.whenUnsatisfiable ?? ''}`),
        );
    }
    const key = `${c.topologyKey}/${c.whenUnsatisfiable}`;
    if (seen.has(key)) out.push(fieldErr.duplicate(`${p}.{topologyKey, whenUnsatisfiable}`, `{${c.topologyKey}, ${c.whenUnsatisfiable}}`));
    seen.add(key);
    for (const k of ['nodeAffinityPolicy', 'nodeTaintsPolicy'] as const) {
      const v = c[k];
      if (v !== undefined && v !== null && !nodeInclusionPolicies.includes(v)) out.push(fieldErr.notSupported(`${p}.${k}`, v, nodeInclusionPolicies));
    }
    const mlk = c.matchLabelKeys ?? [];
    if (mlk.length) {
      if (!c.labelSelector) out.push(fieldErr.forbidden(`${p}.matchLabelKeys`, 'must not be specified when labelSelector is not set'));
      const selKeys = new Set([...Object.keys(c.labelSelector?.matchLabels ?? {}), ...(c.labelSelector?.matchExpressions ?? []).map((e) => e.key)]);
      mlk.forEach((k, j) => {
        out.push(...validateQualifiedName(k, `${p}.matchLabelKeys[${j}]`));
        if (selKeys.has(k)) out.push(fieldErr.invalid(`${p}.matchLabelKeys[${j}]`, k, 'exists in both matchLabelKeys and labelSelector'));
      });
    }
    for (const e of validateLabelSelector(c.labelSelector, `${p}.labelSelector`)) out.push(selectorCause(e));
  });
  return out;
}

function selectorCause(e: { field: string; value: unknown; message: string; reason: string }) {
  if (e.reason === 'FieldValueRequired') return fieldErr.required(e.field, e.message);
  if (e.reason === 'FieldValueForbidden') return fieldErr.forbidden(e.field, e.message);
  return fieldErr.invalid(e.field, e.value, e.message);
}

function validateNodeSelectorTerm(term: NodeSelectorTerm, field: string): Causes {
  const out: Causes = [];
  (term.matchExpressions ?? []).forEach((r, j) => {
    const p = `${field}.matchExpressions[${j}]`;
    const vals = r.values ?? [];
    switch (r.operator) {
      case 'In':
      case 'NotIn':
        if (vals.length === 0) out.push(fieldErr.required(`${p}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (vals.length > 0) out.push(fieldErr.forbidden(`${p}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
        break;
      case 'Gt':
      case 'Lt':
        if (vals.length !== 1) out.push(fieldErr.required(`${p}.values`, "must be specified single value when `operator` is 'Lt' or 'Gt'"));
        break;
      default:
        out.push(fieldErr.invalid(`${p}.operator`, r.operator ?? '', 'not a valid selector operator'));
    }
    out.push(...validateQualifiedName(r.key ?? '', `${p}.key`));
  });
  (term.matchFields ?? []).forEach((r, j) => {
    const p = `${field}.matchFields[${j}]`;
    switch (r.operator) {
      case 'In':
      case 'NotIn':
        if ((r.values ?? []).length !== 1)
          out.push(fieldErr.required(`${p}.values`, "must be only one value when `operator` is 'In' or 'NotIn' for node field selector"));
        break;
      default:
        out.push(fieldErr.invalid(`${p}.operator`, r.operator ?? '', 'not a valid selector operator'));
    }
    if (r.key !== 'metadata.name') out.push(fieldErr.notSupported(`${p}.key`, r.key ?? '', ['metadata.name']));
  });
  return out;
}

/** upstream validatePodAffinityTerm: topologyKey, the label and namespace selectors, namespace names. */
function validatePodAffinityTerm(t: PodAffinityTerm | undefined, p: string): Causes {
  const out: Causes = [];
  if (!t?.topologyKey) out.push(fieldErr.required(`${p}.topologyKey`, 'can not be empty'));
  else out.push(...validateQualifiedName(t.topologyKey, `${p}.topologyKey`));
  for (const e of validateLabelSelector(t?.labelSelector, `${p}.labelSelector`)) out.push(selectorCause(e));
  for (const e of validateLabelSelector(t?.namespaceSelector, `${p}.namespaceSelector`)) out.push(selectorCause(e));
  (t?.namespaces ?? []).forEach((n) => {
    for (const m of isDNS1123Label(n)) out.push(fieldErr.invalid(`${p}.namespace`, n, m));
  });
  return out;
}

function validateAffinity(a: Affinity | undefined, field: string): Causes {
  const out: Causes = [];
  if (!a) return out;
  const na = a.nodeAffinity;
  if (na) {
    const req = na.requiredDuringSchedulingIgnoredDuringExecution;
    if (req) {
      const rp = `${field}.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution`;
      if (!req.nodeSelectorTerms || req.nodeSelectorTerms.length === 0)
        out.push(fieldErr.required(`${rp}.nodeSelectorTerms`, 'must have at least one node selector term'));
      (req.nodeSelectorTerms ?? []).forEach((t, i) => out.push(...validateNodeSelectorTerm(t, `${rp}.nodeSelectorTerms[${i}]`)));
    }
    (na.preferredDuringSchedulingIgnoredDuringExecution ?? []).forEach((t, i) => {
      const p = `${field}.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[${i}]`;
      if (!(t.weight >= 1 && t.weight <= 100)) out.push(fieldErr.invalid(`${p}.weight`, t.weight ?? 0, 'must be in the range 1-100'));
      out.push(...validateNodeSelectorTerm(t.preference ?? {}, `${p}.preference`));
    });
  }
  for (const kind of ['podAffinity', 'podAntiAffinity'] as const) {
    const pa = a[kind];
    if (!pa) continue;
    (pa.requiredDuringSchedulingIgnoredDuringExecution ?? []).forEach((t, i) =>
      out.push(...validatePodAffinityTerm(t, `${field}.${kind}.requiredDuringSchedulingIgnoredDuringExecution[${i}]`)),
    );
    (pa.preferredDuringSchedulingIgnoredDuringExecution ?? []).forEach((t, i) => {
      const p = `${field}.${kind}.preferredDuringSchedulingIgnoredDuringExecution[${i}]`;
      if (!(t.weight >= 1 && t.weight <= 100)) out.push(fieldErr.invalid(`${p}.weight`, t.weight ?? 0, 'must be in the range 1-100'));
      out.push(...validatePodAffinityTerm(t.podAffinityTerm, `${p}.podAffinityTerm`));
    });
  }
  return out;
}

/** Validates a PodSpec at `field` (default "spec"). */
export function validatePodSpec(spec: PodSpec | undefined, field = 'spec'): Causes {
  const out: Causes = [];
  if (!spec || typeof spec !== 'object') return [fieldErr.required(field)];
  const vols = validateVolumes(spec.volumes, `${field}.volumes`);
  out.push(...vols.causes);
  const ctx: ContainerContext = { volumes: vols.names, allNames: new Set(), gracePeriod: spec.terminationGracePeriodSeconds };
  (spec.initContainers ?? []).forEach((c, i) => out.push(...validateContainer(c, 'init', ctx, `${field}.initContainers[${i}]`)));
  if (!Array.isArray(spec.containers) || spec.containers.length === 0) out.push(fieldErr.required(`${field}.containers`));
  else spec.containers.forEach((c, i) => out.push(...validateContainer(c, 'container', ctx, `${field}.containers[${i}]`)));
  ctx.targets = new Set([...(spec.initContainers ?? []), ...(Array.isArray(spec.containers) ? spec.containers : [])].map((c) => c?.name).filter(Boolean));
  (spec.ephemeralContainers ?? []).forEach((c, i) => out.push(...validateContainer(c, 'ephemeral', ctx, `${field}.ephemeralContainers[${i}]`)));

  // Host ports: unique per protocol/hostIP across containers; equal to containerPort with hostNetwork.
  const hostPorts = new Set<string>();
  const allCtrs: [string, PodSpec['containers']][] = [
    ['initContainers', spec.initContainers ?? []],
    ['containers', spec.containers ?? []],
  ];
  for (const [kind, ctrs] of allCtrs) {
    ctrs.forEach((c, ci) => {
      (c.ports ?? []).forEach((port, pi) => {
        const p = `${field}.${kind}[${ci}].ports[${pi}]`;
        if (spec.hostNetwork && port.hostPort && port.hostPort !== port.containerPort)
          out.push(fieldErr.invalid(`${p}.hostPort`, port.hostPort, 'must match `containerPort` when `hostNetwork` is true'));
        if (!port.hostPort) return;
        const key = `${port.protocol ?? 'TCP'}/${port.hostIP ?? ''}/${port.hostPort}`;
        if (hostPorts.has(key)) out.push(fieldErr.duplicate(`${p}.hostPort`, key));
        hostPorts.add(key);
      });
    });
  }

  if (!spec.restartPolicy) out.push(fieldErr.required(`${field}.restartPolicy`));
  else if (!restartPolicies.includes(spec.restartPolicy)) out.push(fieldErr.notSupported(`${field}.restartPolicy`, spec.restartPolicy, restartPolicies));
  if (!spec.dnsPolicy) out.push(fieldErr.required(`${field}.dnsPolicy`));
  else if (!dnsPolicies.includes(spec.dnsPolicy)) out.push(fieldErr.notSupported(`${field}.dnsPolicy`, spec.dnsPolicy, dnsPolicies));
  else if (spec.dnsPolicy === 'None' && !spec.dnsConfig) out.push(fieldErr.required(`${field}.dnsConfig`, 'must provide `dnsConfig` when `dnsPolicy` is None'));
  if (spec.dnsConfig) {
    const ns = spec.dnsConfig.nameservers ?? [];
    if (ns.length > 3) out.push(fieldErr.invalid(`${field}.dnsConfig.nameservers`, ns, 'must not have more than 3 nameservers'));
    ns.forEach((n, i) => {
      if (!isValidIP(n)) out.push(fieldErr.invalid(`${field}.dnsConfig.nameservers[${i}]`, n, 'must be valid IP address'));
    });
    if (spec.dnsPolicy === 'None' && ns.length === 0)
      out.push(fieldErr.required(`${field}.dnsConfig.nameservers`, 'must provide at least one DNS nameserver when `dnsPolicy` is None'));
    (spec.dnsConfig.searches ?? []).forEach((s, i) => {
      for (const m of isDNS1123Subdomain(s.replace(/\.$/, ''))) out.push(fieldErr.invalid(`${field}.dnsConfig.searches[${i}]`, s, m));
    });
    (spec.dnsConfig.options ?? []).forEach((o, i) => {
      if (!o.name) out.push(fieldErr.required(`${field}.dnsConfig.options[${i}]`, 'Option.Name must not be empty'));
    });
  }
  out.push(...validateLabels(spec.nodeSelector, `${field}.nodeSelector`));
  if (spec.serviceAccountName)
    for (const m of isDNS1123Subdomain(spec.serviceAccountName)) out.push(fieldErr.invalid(`${field}.serviceAccountName`, spec.serviceAccountName, m));
  if (spec.nodeName) for (const m of isDNS1123Subdomain(spec.nodeName)) out.push(fieldErr.invalid(`${field}.nodeName`, spec.nodeName, m));
  if (spec.activeDeadlineSeconds !== undefined && spec.activeDeadlineSeconds !== null) {
    const v = spec.activeDeadlineSeconds;
    if (!Number.isInteger(v) || v < 1 || v > maxInt32)
      out.push(fieldErr.invalid(`${field}.activeDeadlineSeconds`, v, `must be between 1 and ${maxInt32}, inclusive`));
  }
  out.push(...validateNonnegative(spec.terminationGracePeriodSeconds, `${field}.terminationGracePeriodSeconds`));
  if (spec.hostname) out.push(...validateDNS1123Label(spec.hostname, `${field}.hostname`));
  if (spec.subdomain) out.push(...validateDNS1123Label(spec.subdomain, `${field}.subdomain`));
  if (spec.shareProcessNamespace && spec.hostPID)
    out.push(fieldErr.invalid(`${field}.shareProcessNamespace`, true, 'ShareProcessNamespace and HostPID cannot both be enabled'));
  out.push(...validateTolerations(spec.tolerations, `${field}.tolerations`));
  (spec.hostAliases ?? []).forEach((ha, i) => {
    const p = `${field}.hostAliases[${i}]`;
    if (!isValidIP(ha.ip)) out.push(fieldErr.invalid(`${p}.ip`, ha.ip ?? '', 'must be valid IP address'));
    (ha.hostnames ?? []).forEach((h) => {
      for (const m of isDNS1123Subdomain(h)) out.push(fieldErr.invalid(`${p}.hostnames`, h, m));
    });
  });
  (spec.readinessGates ?? []).forEach((g, i) => out.push(...validateQualifiedName(g.conditionType ?? '', `${field}.readinessGates[${i}].conditionType`)));
  (spec.imagePullSecrets ?? []).forEach((s, i) => {
    if (!s.name) out.push(fieldErr.required(`${field}.imagePullSecrets[${i}].name`));
  });
  out.push(...validateTopologySpread(spec.topologySpreadConstraints, `${field}.topologySpreadConstraints`));
  out.push(...validateAffinity(spec.affinity, `${field}.affinity`));
  const psc = spec.securityContext;
  if (psc) {
    for (const k of ['runAsUser', 'runAsGroup', 'fsGroup'] as const) {
      const v = psc[k];
      if (v !== undefined && (!Number.isInteger(v) || v < 0 || v > maxInt32))
        out.push(fieldErr.invalid(`${field}.securityContext.${k}`, v, `must be between 0 and ${maxInt32}, inclusive`));
    }
    (psc.supplementalGroups ?? []).forEach((g, i) => {
      if (!Number.isInteger(g) || g < 0 || g > maxInt32)
        out.push(fieldErr.invalid(`${field}.securityContext.supplementalGroups[${i}]`, g, `must be between 0 and ${maxInt32}, inclusive`));
    });
  }
  if (spec.preemptionPolicy !== undefined && !['PreemptLowerPriority', 'Never'].includes(spec.preemptionPolicy))
    out.push(fieldErr.notSupported(`${field}.preemptionPolicy`, spec.preemptionPolicy, ['Never', 'PreemptLowerPriority']));
  if (spec.os && !['linux', 'windows'].includes(spec.os.name)) out.push(fieldErr.notSupported(`${field}.os.name`, spec.os.name, ['linux', 'windows']));
  return out;
}
