// Runs the shared Storage conformance suite against MemoryStorage.
import { MemoryStorage } from '../../../src/storage/memory.js';
import { runStorageSuite } from './suite.js';

runStorageSuite('memory', async (opts) => ({
  store: new MemoryStorage({ historySize: opts?.historySize }),
  cleanup: async () => {},
}));
