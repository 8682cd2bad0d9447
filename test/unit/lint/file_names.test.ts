// One file-naming style: .ts files are snake_case (tests add .test), directories are flat lower-case words like
// Go packages. scripts/rename-files.sh moved this test into place when it renamed the tree.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// dist/test/unit/lint/ → the repository root.
const root = fileURLToPath(new URL('../../../../', import.meta.url));

function walk(dir: string, files: string[], dirs: string[]): void {
  for (const e of readdirSync(join(root, dir), { withFileTypes: true })) {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) {
      dirs.push(rel);
      walk(rel, files, dirs);
    } else if (e.name.endsWith('.ts')) files.push(rel);
  }
}

test('every .ts file under src/, test/ and bench/ is snake_case, every directory a flat lower-case word', () => {
  const files: string[] = [];
  const dirs: string[] = [];
  for (const top of ['src', 'test', 'bench']) walk(top, files, dirs);
  assert.ok(files.length > 100, 'the walk found the tree');
  assert.deepEqual(
    files.filter((f) => !/^[a-z0-9]+(_[a-z0-9]+)*(\.test)?\.ts$/.test(f.slice(f.lastIndexOf('/') + 1))),
    [],
  );
  assert.deepEqual(
    dirs.filter((d) => !/^[a-z0-9]+$/.test(d.slice(d.lastIndexOf('/') + 1))),
    [],
  );
});
