// CertificateSigningRequest validation (upstream pkg/apis/certificates/validation): the request is one PEM CSR
// whose signature holds, usages known and unique, signerName "domain/path", expirationSeconds ≥ 600, conditions
// well-formed (Approved/Denied/Failed only True, Approved and Denied exclusive), status.certificate PEM
// certificates; on update no Approved/Denied/Failed condition removed, approval changed only through /approval
// and the certificate set only through /status, once.
import { isDeepStrictEqual } from 'node:util';
import { fieldErr } from '../../errors.js';
import type { StatusCause } from '../../types.js';
import { isDNS1123Label, isDNS1123Subdomain } from '../../names.js';
import { validateObjectMeta, validateObjectMetaUpdate } from '../../validation/object_meta.js';
import { KEY_USAGES, LEGACY_UNKNOWN_SIGNER, type CertificateSigningRequest, type RequestConditionType } from './types.js';

/** The PEM checks validation needs (parsing X.509 lives outside src/api); each returns an error message or undefined. */
export interface CSRPemChecks {
  request(pem: string): string | undefined;
  certificate(pem: string): string | undefined;
}

/** How an update arrives: the main resource, /status (may set the certificate) or /approval (may set Approved/Denied). */
export type CSRUpdatePath = 'main' | 'status' | 'approval';

const TRUE_ONLY = new Set(['Approved', 'Denied', 'Failed']);
const ALL_STATUS = ['False', 'True', 'Unknown'];

export function validateSignerName(signerName: string | undefined, field = 'spec.signerName'): StatusCause[] {
  if (!signerName) return [fieldErr.required(field)];
  const segments = signerName.split('/');
  if (segments.length !== 2) return [fieldErr.invalid(field, signerName, "must be a fully qualified domain and path of the form 'example.com/signer-name'")];
  const out: StatusCause[] = [];
  const [domain, path] = segments;
  if (domain.length > 253) out.push(fieldErr.tooLong(field, 253));
  const labels = domain.split('.');
  for (const l of labels) {
    const errs = isDNS1123Label(l);
    if (errs.length) {
      for (const e of errs) out.push(fieldErr.invalid(field, domain, `validating label ${JSON.stringify(l)}: ${e}`));
      break;
    }
  }
  if (labels.length < 2) out.push(fieldErr.invalid(field, domain, 'should be a domain with at least two segments separated by dots'));
  const maxPath = 253 - domain.length - 1;
  if (path.length > maxPath) out.push(fieldErr.tooLong(field, maxPath));
  for (const part of path.split('.')) {
    const errs = isDNS1123Subdomain(part);
    if (errs.length) {
      for (const e of errs) out.push(fieldErr.invalid(field, path, `validating component ${JSON.stringify(part)}: ${e}`));
      break;
    }
  }
  return out;
}

function decoded(b64: unknown): string {
  return typeof b64 === 'string' ? Buffer.from(b64, 'base64').toString('utf8') : '';
}

function conditionsOf(csr: CertificateSigningRequest, type: RequestConditionType) {
  return (csr.status?.conditions ?? []).filter((c) => c.type === type);
}

function validateConditions(csr: CertificateSigningRequest, old: CertificateSigningRequest | undefined): StatusCause[] {
  const out: StatusCause[] = [];
  const path = 'status.conditions';
  const tolerateBoth = !!old && conditionsOf(old, 'Approved').length > 0 && conditionsOf(old, 'Denied').length > 0;
  const seen = new Set<string>();
  let approved = false;
  let denied = false;
  (csr.status?.conditions ?? []).forEach((c, i) => {
    const at = `${path}[${i}]`;
    if (!c.type) out.push(fieldErr.required(`${at}.type`));
    const allowed = TRUE_ONLY.has(c.type) ? ['True'] : ALL_STATUS;
    if (!c.status) out.push(fieldErr.required(`${at}.status`));
    else if (!allowed.includes(c.status)) out.push(fieldErr.notSupported(`${at}.status`, c.status, allowed));
    if (!tolerateBoth) {
      if (c.type === 'Approved') {
        approved = true;
        if (denied) out.push(fieldErr.invalid(`${at}.type`, c.type, 'Approved and Denied conditions are mutually exclusive'));
      } else if (c.type === 'Denied') {
        denied = true;
        if (approved) out.push(fieldErr.invalid(`${at}.type`, c.type, 'Approved and Denied conditions are mutually exclusive'));
      }
    }
    if (seen.has(c.type)) out.push(fieldErr.duplicate(`${at}.type`, c.type));
    seen.add(c.type);
  });
  return out;
}

export function validateCertificateSigningRequest(csr: CertificateSigningRequest, checks: CSRPemChecks, old?: CertificateSigningRequest): StatusCause[] {
  const out = validateObjectMeta(csr.metadata, false, () => []);
  const spec = csr.spec ?? ({} as CertificateSigningRequest['spec']);
  if (!spec.request) out.push(fieldErr.invalid('spec.request', spec.request ?? '', 'PEM block type must be CERTIFICATE REQUEST'));
  else {
    const err = checks.request(decoded(spec.request));
    if (err) out.push(fieldErr.invalid('spec.request', spec.request, err));
  }
  const usages = spec.usages ?? [];
  if (usages.length === 0) out.push(fieldErr.required('spec.usages'));
  const oldUsages = old?.spec?.usages ?? [];
  const tolerateUnknown = oldUsages.some((u) => !KEY_USAGES.includes(u));
  const tolerateDup = new Set(oldUsages).size !== oldUsages.length;
  const seen = new Set<string>();
  usages.forEach((u, i) => {
    if (!tolerateUnknown && !KEY_USAGES.includes(u)) out.push(fieldErr.notSupported(`spec.usages[${i}]`, u, [...KEY_USAGES].sort()));
    if (!tolerateDup && seen.has(u)) out.push(fieldErr.duplicate(`spec.usages[${i}]`, u));
    seen.add(u);
  });
  if (spec.signerName === LEGACY_UNKNOWN_SIGNER && old?.spec?.signerName !== LEGACY_UNKNOWN_SIGNER) {
    out.push(fieldErr.invalid('spec.signerName', spec.signerName, 'the legacy signerName is not allowed via this API version'));
  } else out.push(...validateSignerName(spec.signerName));
  if (spec.expirationSeconds !== undefined && spec.expirationSeconds !== null) {
    if (typeof spec.expirationSeconds !== 'number' || !Number.isInteger(spec.expirationSeconds))
      out.push(fieldErr.invalid('spec.expirationSeconds', spec.expirationSeconds, 'must be an integer'));
    else if (spec.expirationSeconds < 600)
      out.push(fieldErr.invalid('spec.expirationSeconds', spec.expirationSeconds, 'may not specify a duration less than 600 seconds (10 minutes)'));
  }
  out.push(...validateConditions(csr, old));
  const cert = csr.status?.certificate;
  const untouched = old !== undefined && (cert ?? '') === (old.status?.certificate ?? '');
  if (cert && !untouched) {
    const err = checks.certificate(decoded(cert));
    if (err) out.push(fieldErr.invalid('status.certificate', '<certificate data>', err));
  }
  return out;
}

export function validateCertificateSigningRequestUpdate(
  csr: CertificateSigningRequest,
  old: CertificateSigningRequest,
  checks: CSRPemChecks,
  path: CSRUpdatePath,
): StatusCause[] {
  const out = [
    ...validateCertificateSigningRequest(csr, checks, old).filter((c) => !c.field?.startsWith('metadata.')),
    ...validateObjectMetaUpdate(csr.metadata, old.metadata),
  ];
  for (const t of ['Approved', 'Denied', 'Failed']) {
    if (conditionsOf(csr, t).length < conditionsOf(old, t).length)
      out.push(fieldErr.forbidden('status.conditions', `updates may not remove a condition of type ${JSON.stringify(t)}`));
  }
  if (path !== 'approval') {
    for (const t of ['Approved', 'Denied']) {
      const before = conditionsOf(old, t);
      const after = conditionsOf(csr, t);
      if (after.length > before.length) out.push(fieldErr.forbidden('status.conditions', `updates may not add a condition of type ${JSON.stringify(t)}`));
      else if (after.length === before.length && !isDeepStrictEqual(after, before))
        out.push(fieldErr.forbidden('status.conditions', `updates may not modify a condition of type ${JSON.stringify(t)}`));
    }
  }
  if ((csr.status?.certificate ?? '') !== (old.status?.certificate ?? '')) {
    if (path !== 'status') out.push(fieldErr.forbidden('status.certificate', 'updates may not set certificate content'));
    else if (old.status?.certificate) out.push(fieldErr.forbidden('status.certificate', 'updates may not modify existing certificate content'));
  }
  return out;
}
