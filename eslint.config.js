// Lint rules for k8ts: typescript-eslint's recommended bug rules, the layering of docs/architecture.md as import
// restrictions, and no import cycles (type-only imports included).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import noImportCycle from './scripts/eslint/no_import_cycle.js';

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
  ...['client', 'controllers', 'scheduler', 'kubelet'].map((name) => ({
    target: layer(name),
    from: [layer('storage'), layer('apiserver')],
    message: `src/${name} reaches the cluster only through the API server (src/client), never src/storage or src/apiserver.`,
  })),
  {
    target: layer('runtime'),
    from: './src',
    except: ['./runtime', './log'],
    message: 'src/runtime knows nothing of the API: it takes plain (CRI-like) configs.',
  },
  {
    target: ['./src', './test', './bench'],
    from: layer('cli'),
    // cli/ assembles processes from the other folders; its own files may import each other.
    except: [],
    message: 'Nothing imports src/cli: it assembles processes.',
  },
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'build/**', 'bench/results/**', 'test/unit/lint/fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { 'import-x': importX, k8ts: { rules: { 'no-import-cycle': noImportCycle } } },
    settings: { 'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })] },
    languageOptions: { ecmaVersion: 2022, sourceType: 'module' },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      'import-x/no-restricted-paths': ['error', { zones }],
      'k8ts/no-import-cycle': 'error',
      // tsc's noUnusedLocals/noUnusedParameters own unused code; `_` marks an intentionally unused parameter.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    // The files of src/cli may import each other.
    files: ['src/cli/**/*.ts'],
    rules: {
      'import-x/no-restricted-paths': ['error', { zones: zones.filter((z) => z.from !== layer('cli')) }],
    },
  },
);
