// Detached JWS signatures of the cluster-info ConfigMap (k8s.io/cluster-bootstrap/token/jws): HS256 keyed by a
// bootstrap token's secret, the token ID as "kid", the payload (the kubeconfig) left out ("<header>..<sig>").
import { CompactSign, compactVerify } from 'jose';

const enc = new TextEncoder();

/** The detached signature of `content` for the token `<tokenID>.<tokenSecret>`. */
export async function computeDetachedSignature(content: string, tokenID: string, tokenSecret: string): Promise<string> {
  const full = await new CompactSign(enc.encode(content)).setProtectedHeader({ alg: 'HS256', kid: tokenID }).sign(enc.encode(tokenSecret));
  const [header, , signature] = full.split('.');
  return `${header}..${signature}`;
}

/** Whether `detached` is a valid signature of `content` by the token (the right key and kid). */
export async function detachedSignatureValid(detached: string, content: string, tokenID: string, tokenSecret: string): Promise<boolean> {
  const parts = detached.split('.');
  if (parts.length !== 3 || parts[1] !== '') return false;
  const payload = Buffer.from(content, 'utf8').toString('base64url');
  try {
    const { protectedHeader } = await compactVerify(`${parts[0]}.${payload}.${parts[2]}`, enc.encode(tokenSecret), { algorithms: ['HS256'] });
    return protectedHeader.kid === tokenID;
  } catch {
    return false;
  }
}
