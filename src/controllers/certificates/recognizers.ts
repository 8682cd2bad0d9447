// What a kubelet's certificate requests must look like (upstream pkg/apis/certificates ValidateKubeletClientCSR
// and the kubelet-serving signer's rules): the approver recognizes them and the signer refuses anything else.
import type { Node } from '../../api/core/v1/types.js';
import type { ParsedCSR } from '../../pki/csr.js';

const NODE_PREFIX = 'system:node:';
const NODES_GROUP = 'system:nodes';

function usagesError(usages: string[], required: string[], optional: string[]): string | undefined {
  const allowed = new Set([...required, ...optional]);
  const bad = usages.filter((u) => !allowed.has(u));
  const missing = required.filter((u) => !usages.includes(u));
  if (bad.length || missing.length) return `usages did not match [${[...required, ...optional].join(' ')}]`;
  return undefined;
}

function subjectError(x: ParsedCSR): string | undefined {
  if (x.organizations.length !== 1 || x.organizations[0] !== NODES_GROUP) return `subject organization is not ${NODES_GROUP}`;
  if (!x.commonName.startsWith(NODE_PREFIX) || x.commonName.length === NODE_PREFIX.length) return `subject common name does not begin with ${NODE_PREFIX}`;
  return undefined;
}

/** Why this is not a kubelet client certificate request, or undefined when it is. */
export function nodeClientCSRError(x: ParsedCSR, usages: string[]): string | undefined {
  const subject = subjectError(x);
  if (subject) return subject;
  if (x.dnsNames.length || x.emailAddresses.length || x.ipAddresses.length || x.uris.length) return 'DNS, email, IP or URI subjectAltNames are not allowed';
  // key encipherment only means something for RSA keys
  return usagesError(usages, ['digital signature', 'client auth'], x.keyAlgorithm.startsWith('RSA') ? ['key encipherment'] : []);
}

/** Why this is not a kubelet serving certificate request (for `node` when given: its own names and addresses). */
export function nodeServingCSRError(x: ParsedCSR, usages: string[], node?: Node): string | undefined {
  const subject = subjectError(x);
  if (subject) return subject;
  if (x.emailAddresses.length || x.uris.length) return 'email or URI subjectAltNames are not allowed';
  if (!x.dnsNames.length && !x.ipAddresses.length) return 'DNS or IP subjectAltName is required';
  const usageErr = usagesError(usages, ['digital signature', 'server auth'], ['key encipherment']);
  if (usageErr) return usageErr;
  if (!node) return undefined;
  const name = x.commonName.slice(NODE_PREFIX.length);
  const addrs = node.status?.addresses ?? [];
  const dns = new Set([name, ...addrs.filter((a) => a.type === 'Hostname' || a.type.endsWith('DNS')).map((a) => a.address)]);
  const ips = new Set(addrs.filter((a) => a.type.endsWith('IP')).map((a) => a.address));
  const strayDNS = x.dnsNames.filter((d) => !dns.has(d));
  const strayIP = x.ipAddresses.filter((ip) => !ips.has(ip));
  if (strayDNS.length || strayIP.length) return `subjectAltNames ${[...strayDNS, ...strayIP].join(', ')} are not addresses of node ${name}`;
  return undefined;
}
