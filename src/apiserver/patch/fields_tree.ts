// Copy-on-write edits of a FieldsV1 tree in place of a full decode/encode: add a member path, drop a member
// path, drop everything under a path. Untouched branches are shared with the input (never mutated).
// A non-root node is a member when it is `{}` or has a "." key; the root `{}` is the empty set.
import { isObject, type JsonObject } from './json.js';

type Tree = JsonObject;

function isMember(node: Tree): boolean {
  for (const k in node) if (k === '.') return true;
  return Object.keys(node).length === 0;
}

function hasKids(node: Tree): boolean {
  for (const k in node) if (k !== '.') return true;
  return false;
}

/** Tree with `elems` added as a member. */
export function treeAdd(tree: Tree, elems: string[]): Tree {
  return add(tree, elems, 0, true);
}

function add(node: Tree, elems: string[], i: number, root: boolean): Tree {
  if (i === elems.length) return isMember(node) ? node : { '.': {}, ...node };
  const head = elems[i];
  const child = node[head];
  if (isObject(child)) {
    const next = add(child, elems, i + 1, false);
    if (next === child) return node;
    return { ...node, [head]: next };
  }
  const out: Tree = !root && Object.keys(node).length === 0 ? { '.': {} } : { ...node };
  let leaf: Tree = {};
  for (let j = elems.length - 1; j > i; j--) leaf = { [elems[j]]: leaf };
  out[head] = leaf;
  return out;
}

/** Tree with the membership of `elems` removed (descendants stay). Same object when nothing changes. */
export function treeRemove(tree: Tree, elems: string[]): Tree {
  return edit(tree, elems, 0, false) ?? {};
}

/** Tree with `elems` and everything below it removed. Same object when nothing changes. */
export function treeRemoveUnder(tree: Tree, elems: string[]): Tree {
  return edit(tree, elems, 0, true) ?? {};
}

/** Returns the edited node, the same node when unchanged, or undefined when it should disappear. */
function edit(node: Tree, elems: string[], i: number, subtree: boolean): Tree | undefined {
  const head = elems[i];
  const child = node[head];
  if (!isObject(child)) return node;
  let next: Tree | undefined;
  if (i === elems.length - 1) {
    if (subtree || !hasKids(child)) next = undefined;
    else if ('.' in child) {
      next = { ...child };
      delete next['.'];
    } else return node;
  } else {
    next = edit(child, elems, i + 1, subtree);
    if (next === child) return node;
  }
  const out: Tree = { ...node };
  if (next === undefined) delete out[head];
  else out[head] = next;
  if (hasKids(out)) return out;
  return isMember(node) ? {} : undefined;
}
