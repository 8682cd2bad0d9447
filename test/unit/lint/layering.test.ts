// The lint rules bite: eslint.config.js rejects imports that break the layering of docs/architecture.md and
// import cycles (type-only ones too), and accepts the imports the layering allows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';

// dist/test/unit/lint/ → the repository root (where eslint.config.js is).
const root = fileURLToPath(new URL('../../../../', import.meta.url));
const eslint = new ESLint({ cwd: root });

/** The rule ids eslint reports for `code` as if it were the file at `filePath` (relative to the root). */
async function ruleIds(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${root}${filePath}` });
  return result!.messages.map((m) => m.ruleId ?? `fatal: ${m.message}`);
}

const restricted = 'import-x/no-restricted-paths';

test('kubelet, scheduler, controllers and client may not import storage or apiserver', async () => {
  assert.deepEqual(await ruleIds('src/kubelet/fixture.ts', "import { openStorage } from '../storage/index.js';\nexport const s = openStorage;\n"), [
    restricted,
  ]);
  assert.deepEqual(await ruleIds('src/scheduler/fixture.ts', "import type { ResourceDef } from '../apiserver/registry.js';\nexport type D = ResourceDef;\n"), [
    restricted,
  ]);
  assert.deepEqual(await ruleIds('src/controllers/fixture.ts', "export { MemoryStorage } from '../storage/memory.js';\n"), [restricted]);
  assert.deepEqual(await ruleIds('src/client/fixture.ts', "export const m = await import('../apiserver/assemble.js');\n"), [restricted]);
});

test('api imports nothing of ours; runtime nothing of the API', async () => {
  assert.deepEqual(await ruleIds('src/api/fixture.ts', "import { KubeClient } from '../client/rest.js';\nexport const c = KubeClient;\n"), [restricted]);
  assert.deepEqual(await ruleIds('src/runtime/fixture.ts', "import type { Pod } from '../api/core/v1/types.js';\nexport type P = Pod;\n"), [restricted]);
  assert.deepEqual(await ruleIds('src/runtime/images/fixture.ts', "import { KubeClient } from '../../client/rest.js';\nexport const c = KubeClient;\n"), [
    restricted,
  ]);
});

test('apiserver depends on api and storage only', async () => {
  assert.deepEqual(await ruleIds('src/apiserver/handlers/fixture.ts', "import { Informer } from '../../client/informer.js';\nexport const i = Informer;\n"), [
    restricted,
  ]);
  assert.deepEqual(await ruleIds('src/apiserver/fixture.ts', "import type { RuntimeService } from '../runtime/index.js';\nexport type R = RuntimeService;\n"), [
    restricted,
  ]);
});

test('nothing in src imports cli', async () => {
  assert.deepEqual(await ruleIds('src/kubelet/fixture.ts', "import { writeKubeconfig } from '../cli/kubeconfig.js';\nexport const w = writeKubeconfig;\n"), [
    restricted,
  ]);
  assert.deepEqual(await ruleIds('src/cli/fixture.ts', "import { writeKubeconfig } from './kubeconfig.js';\nexport const w = writeKubeconfig;\n"), []);
});

test('the imports the layering allows pass', async () => {
  const code = [
    "import type { Pod } from '../api/core/v1/types.js';",
    "import { KubeClient } from '../client/rest.js';",
    "import { RuntimeService } from '../runtime/index.js';",
    'export const x: [Pod | undefined, typeof KubeClient, typeof RuntimeService] = [undefined, KubeClient, RuntimeService];',
    '',
  ].join('\n');
  assert.deepEqual(await ruleIds('src/kubelet/fixture.ts', code), []);
  assert.deepEqual(await ruleIds('src/apiserver/fixture.ts', "import { openStorage } from '../storage/index.js';\nexport const s = openStorage;\n"), []);
});

test('an import cycle is an error, also when one side imports only types', async () => {
  // framework.ts imports framework_types.ts, so framework_types.ts may not import framework.ts back.
  const typeOnly = "import type { FindResult } from './framework.js';\nexport type F = FindResult;\n";
  assert.deepEqual(await ruleIds('src/scheduler/framework_types.ts', typeOnly), ['k8ts/no-import-cycle']);
  const [result] = await eslint.lintText(typeOnly, { filePath: `${root}src/scheduler/framework_types.ts` });
  assert.match(result!.messages[0]!.message, /src\/scheduler\/framework_types\.ts → src\/scheduler\/framework\.ts → src\/scheduler\/framework_types\.ts/);
  // A longer cycle, through a re-export: framework_types.ts → cache.ts → plugins/pod_topology_spread.ts → framework_types.ts.
  const longer = "export type { SchedulerCache } from './cache.js';\n";
  const [r2] = await eslint.lintText(longer, { filePath: `${root}src/scheduler/framework_types.ts` });
  assert.deepEqual(
    r2!.messages.map((m) => m.ruleId),
    ['k8ts/no-import-cycle'],
  );
  assert.match(
    r2!.messages[0]!.message,
    /framework_types\.ts → src\/scheduler\/cache\.ts → src\/scheduler\/plugins\/pod_topology_spread\.ts → src\/scheduler\/framework_types\.ts/,
  );
  // The file as it is on disk has no cycle.
  assert.deepEqual(await ruleIds('src/scheduler/framework_types.ts', "import type { NodeInfo } from './node_info.js';\nexport type N = NodeInfo;\n"), []);
});
