// The one place @peculiar/x509 is loaded: its dependency injection needs reflect-metadata first, and it signs
// and verifies with Node's WebCrypto.
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

export { x509, webcrypto };
