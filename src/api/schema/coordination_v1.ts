// Schemas of io.k8s.api.coordination.v1.Lease (node heartbeats, leader election) and LeaseList, plus
// the authentication.k8s.io/v1 TokenRequest posted to serviceaccounts/token.
import type { Definitions } from './types.js';
import { str, int32, ref, obj, strList, time, kindSchema, listSchema, META } from './build.js';

const COORD = 'io.k8s.api.coordination.v1.';
const AUTHN = 'io.k8s.api.authentication.v1.';

export const coordinationV1Definitions: Definitions = {
  [COORD + 'Lease']: kindSchema('coordination.k8s.io', 'v1', 'Lease', 'A Lease records who holds a lock and until when (node heartbeats, leader election).', {
    spec: ref(COORD + 'LeaseSpec', 'The lease holder and timing.'),
  }),
  [COORD + 'LeaseSpec']: obj('The holder and timing of a lease.', {
    acquireTime: ref(META + 'MicroTime', 'When the current holder acquired the lease.'),
    holderIdentity: str('Identity of the current holder.'),
    leaseDurationSeconds: int32('How long candidates wait before they may take the lease over, from the last renewal.'),
    leaseTransitions: int32('How many times the holder changed.'),
    preferredHolder: str('Holder that should take over next (coordinated leader election).'),
    renewTime: ref(META + 'MicroTime', 'When the holder last renewed the lease.'),
    strategy: str('Strategy for picking leaders (coordinated leader election).'),
  }),
  [COORD + 'LeaseList']: listSchema('coordination.k8s.io', 'v1', 'LeaseList', COORD + 'Lease', 'leases'),

  [AUTHN + 'BoundObjectReference']: obj('An object a token is bound to.', {
    apiVersion: str('API version of the referent.'),
    kind: str('Kind of the referent (Pod or Secret).'),
    name: str('Name of the referent.'),
    uid: str('UID of the referent.'),
  }),
  [AUTHN + 'TokenRequestSpec']: obj(
    'What token to issue.',
    {
      audiences: strList('Intended audiences of the token.'),
      boundObjectRef: ref(AUTHN + 'BoundObjectReference', 'Object the token is bound to; the token becomes invalid when it is deleted.'),
      expirationSeconds: { type: 'integer', format: 'int64', description: 'Requested lifetime in seconds.' },
    },
    ['audiences'],
  ),
  [AUTHN + 'TokenRequestStatus']: obj(
    'The issued token.',
    {
      expirationTimestamp: time('When the token expires.'),
      token: str('The opaque bearer token.'),
    },
    ['token', 'expirationTimestamp'],
  ),
  [AUTHN + 'TokenRequest']: kindSchema(
    'authentication.k8s.io',
    'v1',
    'TokenRequest',
    'Requests a token for a service account (posted to serviceaccounts/token).',
    {
      spec: { $ref: AUTHN + 'TokenRequestSpec', default: {}, description: 'What token to issue.' },
      status: { $ref: AUTHN + 'TokenRequestStatus', default: {}, description: 'The issued token.' },
    },
    ['spec'],
  ),
};
