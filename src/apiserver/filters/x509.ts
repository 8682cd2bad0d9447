// The x509 request authenticator: the connection's verified client certificate (chain checked against the
// client CA by the TLS handshake) is the user CN with groups O + system:authenticated. A certificate that did
// not verify (another CA, expired) is refused; no certificate is not this authenticator's business.
import { TLSSocket } from 'node:tls';
import { peerCertificateIdentity } from '../../pki/peer_identity.js';
import { AuthenticationError, type Authenticator } from './authentication.js';
import { ALL_AUTHENTICATED, type UserInfo } from './user.js';

export class CertificateRefusedError extends AuthenticationError {}

export function x509Authenticator(): Authenticator {
  // one UserInfo per connection: the per-request cost is a lookup and an expiry check
  const users = new WeakMap<TLSSocket, UserInfo>();
  return {
    authenticate(req) {
      const socket = req.socket;
      if (!(socket instanceof TLSSocket)) return undefined;
      const id = peerCertificateIdentity(socket);
      if (id.kind === 'none') return undefined;
      if (id.kind === 'invalid') throw new CertificateRefusedError(id.reason);
      let u = users.get(socket);
      if (!u) {
        u = { name: id.name, uid: '', groups: [...id.groups, ALL_AUTHENTICATED], extra: {} };
        users.set(socket, u);
      }
      return u;
    },
  };
}
