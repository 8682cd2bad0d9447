// Compiles ?labelSelector= and ?fieldSelector= into one predicate over objects of a kind; a malformed
// selector or an unsupported field is a 400 BadRequest.
import type { KubeObject } from '../../api/types.js';
import { badRequest } from '../../api/errors.js';
import { parseLabelSelector, type Selector } from '../../api/labels.js';
import { checkFieldSelectorSupported, fieldsForKind, parseFieldSelector, type FieldSelector } from '../../api/fields.js';
import type { ResourceDef } from '../registry.js';

export function compilePredicate(def: ResourceDef, labelSelector: string | null, fieldSelector: string | null): ((o: KubeObject) => boolean) | undefined {
  let ls: Selector | undefined;
  let fs: FieldSelector | undefined;
  if (labelSelector) {
    try {
      ls = parseLabelSelector(labelSelector);
    } catch (e) {
      throw badRequest((e as Error).message);
    }
    if (ls.empty()) ls = undefined;
  }
  if (fieldSelector) {
    try {
      fs = parseFieldSelector(fieldSelector);
      checkFieldSelectorSupported(fs, fieldsForKind(def.kind, { metadata: {} }, def.namespaced));
    } catch (e) {
      throw badRequest((e as Error).message);
    }
    if (fs.fieldNames().length === 0) fs = undefined;
  }
  if (!ls && !fs) return undefined;
  const l = ls;
  const f = fs;
  return (o: KubeObject) => (!l || l.matches(o.metadata?.labels)) && (!f || f.matches(fieldsForKind(def.kind, o, def.namespaced)));
}
