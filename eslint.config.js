// Lint rules for k8ts: typescript-eslint's recommended bug rules, the layering of docs/architecture.md as import
// restrictions, and no import cycles (type-only imports included).
import { readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import noImportCycle from './scripts/eslint/no_import_cycle.js';

/** The repository root: zones and the resolver are relative to it, whatever the working directory. */
const root = dirname(fileURLToPath(import.meta.url));

/** Folders under src/ (one per Kubernetes component). */
const layer = (name) => `./src/${name}`;

// "target may not import from": the dependency rules of docs/architecture.md.
const zones = [
  {
    target: layer('api'),
    from: './src',
    except: ['./api'],
    message: 'src/api imports nothing of ours (types, defaults, validation, selectors, schema only).',
  },
  {
    target: layer('storage'),
    from: './src',
    except: ['./storage', './api', './log'],
    message: 'src/storage depends on src/api only.',
  },
  {
    target: layer('apiserver'),
    from: './src',
    except: ['./apiserver', './api', './storage', './pki', './log'],
    message: 'src/apiserver depends on src/api, src/storage and src/pki only.',
  },
  {
    target: layer('pki'),
    from: './src',
    except: ['./pki', './log'],
    message: 'src/pki is a leaf: certificates and keys, nothing of the API or the cluster.',
  },
  ...['client', 'controllers', 'scheduler', 'kubelet', 'kubeproxy', 'podnetwork', 'dns'].map((name) => ({
    target: layer(name),
    from: [layer('storage'), layer('apiserver')],
    message: `src/${name} reaches the cluster only through the API server (src/client), never src/storage or src/apiserver.`,
  })),
  {
    target: layer('pki'),
    from: './src',
    except: ['./pki', './log'],
    message: 'src/pki is a leaf: keys and certificates, nothing of the API.',
  },
  {
    target: layer('runtime'),
    from: './src',
    except: ['./runtime', './log'],
    message: 'src/runtime knows nothing of the API: it takes plain (CRI-like) configs.',
  },
  {
    // Tests may exercise cli's pieces (e.g. the kubeconfig writer); no other component may.
    target: readdirSync(`${root}/src`, { withFileTypes: true })
      .filter((d) => d.isDirectory() && d.name !== 'cli')
      .map((d) => layer(d.name)),
    from: layer('cli'),
    message: 'Nothing imports src/cli: it assembles processes.',
  },
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'build/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { 'import-x': importX, k8ts: { rules: { 'no-import-cycle': noImportCycle } } },
    settings: { 'import-x/resolver-next': [createTypeScriptImportResolver({ project: `${root}/tsconfig.json` })] },
    languageOptions: { ecmaVersion: 2022, sourceType: 'module' },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      'import-x/no-restricted-paths': ['error', { zones, basePath: root }],
      // Our own rule rather than import-x/no-cycle, which does not follow `import type` and so misses type-only cycles.
      'k8ts/no-import-cycle': 'error',
      // As tsc's noUnusedParameters: a leading `_` marks a parameter (or binding) that is unused on purpose.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    // Tests and benchmarks read untyped JSON from the API all the time.
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
