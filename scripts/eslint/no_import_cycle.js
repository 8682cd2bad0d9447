// ESLint rule k8ts/no-import-cycle: no module may reach itself through its relative imports, type-only imports
// included (import-x/no-cycle skips `import type`, so type-only cycles between folders would go unseen).
import { readFileSync, statSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import ts from 'typescript';

/** Parsed relative imports of the files on disk, by absolute path; dropped when the file's mtime changes. */
const cache = new Map();

/** The .ts file a relative specifier names (NodeNext style: './x.js' is './x.ts'), or undefined. */
export function resolveSpecifier(fromFile, spec) {
  if (!spec.startsWith('./') && !spec.startsWith('../')) return undefined;
  const base = resolve(dirname(fromFile), spec);
  const candidates = [base.replace(/\.js$/, '.ts'), base, `${base}.ts`, `${base}/index.ts`];
  for (const c of candidates) {
    try {
      if (c.endsWith('.ts') && statSync(c).isFile()) return c;
    } catch {
      // not this candidate
    }
  }
  return undefined;
}

/** The files a file on disk imports (static, type-only, re-exports, dynamic import(), import types). */
function importsOf(file) {
  let mtime;
  try {
    mtime = statSync(file).mtimeMs;
  } catch {
    return [];
  }
  const hit = cache.get(file);
  if (hit && hit.mtime === mtime) return hit.targets;
  const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, false);
  const targets = [...new Set(info.importedFiles.map((f) => resolveSpecifier(file, f.fileName)).filter(Boolean))];
  cache.set(file, { mtime, targets });
  return targets;
}

/** A shortest import path from `start` to `goal` (both included), or undefined when there is none. */
export function importPath(start, goal) {
  const prev = new Map([[start, undefined]]);
  const queue = [start];
  while (queue.length) {
    const cur = queue.shift();
    if (cur === goal) {
      const path = [];
      for (let at = cur; at !== undefined; at = prev.get(at)) path.unshift(at);
      return path;
    }
    for (const next of importsOf(cur)) {
      if (!prev.has(next)) {
        prev.set(next, cur);
        queue.push(next);
      }
    }
  }
  return undefined;
}

function specifierOf(node) {
  const src = node.source ?? node.argument?.literal ?? node.argument;
  return src && src.type === 'Literal' && typeof src.value === 'string' ? src.value : undefined;
}

export default {
  meta: {
    type: 'problem',
    docs: { description: 'Forbid relative import cycles, counting type-only imports' },
    schema: [],
    messages: { cycle: 'Import cycle: {{path}}. Move what both sides share into a module of its own.' },
  },
  create(context) {
    const file = context.physicalFilename ?? context.getPhysicalFilename();
    const cwd = context.cwd ?? context.getCwd();
    const check = (node) => {
      const spec = specifierOf(node);
      if (spec === undefined) return;
      const target = resolveSpecifier(file, spec);
      if (!target || target === file) return;
      const back = importPath(target, file);
      if (!back) return;
      const path = [file, ...back].map((f) => relative(cwd, f)).join(' → ');
      context.report({ node, messageId: 'cycle', data: { path } });
    };
    return {
      ImportDeclaration: check,
      ExportNamedDeclaration: check,
      ExportAllDeclaration: check,
      ImportExpression: check,
      TSImportType: check,
    };
  },
};
