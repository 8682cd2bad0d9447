// serviceaccounts/<name>/token (upstream TokenREST): POST a TokenRequest and get a JWT for the ServiceAccount,
// optionally bound to a Pod, Secret or Node of the same namespace (uid-checked), with the API server's
// audiences by default, 3600 s by default and at least 10 minutes; kubelet's 3607 s pod tokens get a year.
import { AUTHENTICATION_GROUP, type TokenRequest } from '../../api/authentication/v1/types.js';
import type { Node, Pod, Secret, ServiceAccount } from '../../api/core/v1/types.js';
import { badRequest, conflict, fieldErr, invalid, makeStatus, StatusError } from '../../api/errors.js';
import type { KubeObject, StatusCause } from '../../api/types.js';
import {
  DEFAULT_TOKEN_EXPIRATION_SECONDS,
  EXPIRATION_EXTENSION_SECONDS,
  MIN_TOKEN_EXPIRATION_SECONDS,
  WARN_ONLY_BOUND_TOKEN_EXPIRATION_SECONDS,
} from '../authentication/serviceaccount_claims.js';
import { asObject, decodeBody, mediaType, readBody } from '../body.js';
import { admissionAttributes } from '../handlers/admission.js';
import type { HandlerContext } from '../handlers/context.js';
import type { SubresourceDef } from '../registry.js';
import { nowRFC3339 } from '../rest/meta.js';
import { writeJSON } from '../respond.js';
import { defineSubresource } from './define.js';

const TOKEN_REQUEST_KIND = { group: AUTHENTICATION_GROUP, kind: 'TokenRequest' };
const MAX_EXPIRATION_SECONDS = 2 ** 32;

function validateTokenRequest(tr: TokenRequest): StatusCause[] {
  const causes: StatusCause[] = [];
  const e = tr.spec.expirationSeconds!;
  if (!Number.isInteger(e)) causes.push(fieldErr.invalid('spec.expirationSeconds', e, 'must be an integer'));
  else if (e < MIN_TOKEN_EXPIRATION_SECONDS) causes.push(fieldErr.invalid('spec.expirationSeconds', e, 'may not specify a duration less than 10 minutes'));
  else if (e > MAX_EXPIRATION_SECONDS) causes.push(fieldErr.invalid('spec.expirationSeconds', e, 'may not specify a duration larger than 2^32 seconds'));
  return causes;
}

async function getOrNotFound<T extends KubeObject>(ctx: HandlerContext, resource: string, namespace: string | undefined, name: string): Promise<T> {
  const def = ctx.svc.lookup('', 'v1', resource);
  if (!def) throw badRequest(`cannot bind token to object of type ${resource}`);
  return (await ctx.svc.storeFor(def).get(namespace, name)) as T;
}

async function getIfExists<T extends KubeObject>(ctx: HandlerContext, resource: string, namespace: string | undefined, name: string): Promise<T | undefined> {
  try {
    return await getOrNotFound<T>(ctx, resource, namespace, name);
  } catch (e) {
    if (e instanceof StatusError && e.code === 404) return undefined;
    throw e;
  }
}

export const serviceAccountToken: SubresourceDef<ServiceAccount> = defineSubresource<ServiceAccount>({
  kind: TOKEN_REQUEST_KIND,
  verbs: ['create'],
  async serve(ctx) {
    const authn = ctx.svc.authentication;
    if (!authn) throw new StatusError(makeStatus(404, 'NotFound', 'the server could not find the requested resource', {}));
    const body = asObject(decodeBody(await readBody(ctx.req), mediaType(ctx.req)));
    const name = ctx.info.name!;
    const ns = ctx.info.namespace!;
    const spec = (body.spec && typeof body.spec === 'object' ? body.spec : {}) as TokenRequest['spec'];
    const tr: TokenRequest = {
      kind: 'TokenRequest',
      apiVersion: `${AUTHENTICATION_GROUP}/v1`,
      metadata: { ...((body.metadata ?? {}) as KubeObject['metadata']), name, namespace: ns, creationTimestamp: nowRFC3339() },
      spec: { ...spec, audiences: spec.audiences ?? [], expirationSeconds: spec.expirationSeconds ?? DEFAULT_TOKEN_EXPIRATION_SECONDS },
    };
    const attrs = admissionAttributes(ctx, 'CREATE', tr, undefined, { kind: TOKEN_REQUEST_KIND });
    await ctx.svc.admission.admit(attrs);
    const causes = validateTokenRequest(tr);
    if (causes.length) throw invalid(AUTHENTICATION_GROUP, 'TokenRequest', name, causes);
    await ctx.svc.admission.validate(attrs);

    const sa = (await ctx.store.get(ns, name)) as ServiceAccount;
    let pod: Pod | undefined;
    let secret: Secret | undefined;
    let node: Node | undefined;
    const ref = tr.spec.boundObjectRef;
    if (ref) {
      const group = (ref.apiVersion ?? '').includes('/') ? ref.apiVersion!.split('/')[0] : '';
      const refName = ref.name ?? '';
      let uid: string | undefined;
      if (group === '' && ref.kind === 'Pod') {
        pod = await getOrNotFound<Pod>(ctx, 'pods', ns, refName);
        const podSA = pod.spec?.serviceAccountName ?? '';
        if (podSA !== name) throw badRequest(`cannot bind token for serviceaccount "${name}" to pod running with serviceaccount "${podSA}"`);
        uid = pod.metadata.uid;
        if (pod.spec?.nodeName) node = await getIfExists<Node>(ctx, 'nodes', undefined, pod.spec.nodeName);
      } else if (group === '' && ref.kind === 'Secret') {
        secret = await getOrNotFound<Secret>(ctx, 'secrets', ns, refName);
        uid = secret.metadata.uid;
      } else if (group === '' && ref.kind === 'Node') {
        node = await getOrNotFound<Node>(ctx, 'nodes', undefined, refName);
        uid = node.metadata.uid;
      } else {
        throw badRequest(`cannot bind token to object of type ${ref.apiVersion ?? ''}, Kind=${ref.kind ?? ''}`);
      }
      if (ref.uid && ref.uid !== uid) {
        throw conflict(
          { group, resource: ref.kind! },
          refName,
          `the UID in the bound object reference (${ref.uid}) does not match the UID in record (${uid}). The object might have been deleted and then recreated`,
        );
      }
    }
    const apiAudiences = authn.serviceAccountTokens.audiences;
    if (!tr.spec.audiences?.length) tr.spec.audiences = [...apiAudiences];
    const auds = tr.spec.audiences;
    // as upstream, a request above --service-account-max-token-expiration is shortened in the answer's spec too
    if (authn.maxExpirationSeconds && tr.spec.expirationSeconds! > authn.maxExpirationSeconds) tr.spec.expirationSeconds = authn.maxExpirationSeconds;
    let exp = tr.spec.expirationSeconds!;
    let warnAfter: number | undefined;
    const kubeAudiences = auds.length === apiAudiences.length && auds.every((a) => apiAudiences.includes(a));
    if (authn.extendExpiration && pod && exp === WARN_ONLY_BOUND_TOKEN_EXPIRATION_SECONDS && kubeAudiences) {
      warnAfter = exp;
      exp = EXPIRATION_EXTENSION_SECONDS;
    }
    const { token, expiresAt } = await authn.serviceAccountTokens.issue({
      serviceAccount: sa,
      pod,
      secret,
      node,
      audiences: auds,
      expirationSeconds: exp,
      warnAfterSeconds: warnAfter,
    });
    // The status gives the lifetime asked for, not an extended one (upstream): the node agent refreshes an extended
    // pod token at 80% of its 3607 s, and the year only keeps old clients working meanwhile (warnafter).
    const issuedAt = expiresAt - exp;
    tr.status = { token, expirationTimestamp: nowRFC3339(new Date((issuedAt + tr.spec.expirationSeconds!) * 1000)) };
    writeJSON(ctx.res, 201, tr);
  },
});
