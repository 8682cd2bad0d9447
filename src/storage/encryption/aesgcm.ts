// The aesgcm provider: AES-GCM with a random 12-byte nonce per write and the storage key as additional
// authenticated data (a value copied under another key does not decrypt), as upstream's aesgcm transformer.
import { createCipheriv, createDecipheriv, randomBytes, type CipherGCMTypes } from 'node:crypto';
import { ENCRYPTED_PREFIX, type Provider } from './transformer.js';

const NONCE = 12;
const TAG = 16;

export function aesgcmProvider(keyName: string, secret: Buffer): Provider {
  if (![16, 24, 32].includes(secret.length)) throw new Error(`aesgcm key "${keyName}" must be 16, 24 or 32 bytes, got ${secret.length}`);
  const algorithm = `aes-${secret.length * 8}-gcm` as CipherGCMTypes;
  const prefix = `${ENCRYPTED_PREFIX}aesgcm:v1:${keyName}:`;
  return {
    prefix,
    name: `aesgcm:${keyName}`,
    seal(key, plaintext) {
      const nonce = randomBytes(NONCE);
      const cipher = createCipheriv(algorithm, secret, nonce);
      cipher.setAAD(Buffer.from(key));
      const body = Buffer.concat([nonce, cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
      // base64: the sqlite column is text
      return prefix + body.toString('base64');
    },
    open(key, stored) {
      const body = Buffer.from(stored.slice(prefix.length), 'base64');
      if (body.length < NONCE + TAG) throw new Error(`the stored value of ${key} is too short to be aesgcm data`);
      const decipher = createDecipheriv(algorithm, secret, body.subarray(0, NONCE));
      decipher.setAAD(Buffer.from(key));
      decipher.setAuthTag(body.subarray(body.length - TAG));
      return Buffer.concat([decipher.update(body.subarray(NONCE, body.length - TAG)), decipher.final()]).toString('utf8');
    },
  };
}

export const identityProvider: Provider = {
  prefix: '',
  name: 'identity',
  seal: (_key, plaintext) => plaintext,
  open: (_key, stored) => stored,
};
