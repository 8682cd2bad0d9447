// The ServiceAccount signing key pair (DATA/pki/sa.key, sa.pub): RSA 2048, made on first start with 0600
// files and reused afterwards, as kubeadm's "sa" certs phase does. The API server signs tokens with the
// private key and verifies them with the public keys.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { join } from 'node:path';

export const SA_KEY_FILE = 'sa.key';
export const SA_PUB_FILE = 'sa.pub';

export interface ServiceAccountKeyPair {
  privateKey: KeyObject;
  /** Keys tokens are verified with (the pair's public key; more when keys are rotated). */
  publicKeys: KeyObject[];
}

function writeSecretFile(path: string, pem: string): void {
  writeFileSync(path, pem, { mode: 0o600 });
  chmodSync(path, 0o600);
}

/** Load `pkiDir/sa.key` + `sa.pub`, creating both when the key is missing. */
export function loadOrCreateServiceAccountKey(pkiDir: string): ServiceAccountKeyPair {
  mkdirSync(pkiDir, { recursive: true, mode: 0o700 });
  const keyPath = join(pkiDir, SA_KEY_FILE);
  const pubPath = join(pkiDir, SA_PUB_FILE);
  if (!existsSync(keyPath)) {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    writeSecretFile(keyPath, privateKey.export({ type: 'pkcs1', format: 'pem' }).toString());
  }
  const privateKey = createPrivateKey(readFileSync(keyPath));
  if (privateKey.asymmetricKeyType !== 'rsa' && privateKey.asymmetricKeyType !== 'ec') {
    throw new Error(`${keyPath}: the ServiceAccount signing key must be RSA or ECDSA, not ${privateKey.asymmetricKeyType}`);
  }
  const derived = createPublicKey(privateKey);
  if (!existsSync(pubPath)) writeSecretFile(pubPath, derived.export({ type: 'spki', format: 'pem' }).toString());
  return { privateKey, publicKeys: [derived] };
}
