// Cells shared by the printers of workload kinds (upstream layoutContainerCells, metav1.FormatLabelSelector):
// a template's container names and images, and a LabelSelector as a selector string.
import { labelSelectorAsSelector, type LabelSelector } from '../../api/labels.js';
import { asArray, asDict, asString } from './format.js';

/** The CONTAINERS and IMAGES cells of a pod template's spec: names and images, comma-joined. */
export function containerCells(podSpec: unknown): [string, string] {
  const containers = asArray(asDict(podSpec).containers).map(asDict);
  return [containers.map((c) => asString(c.name)).join(','), containers.map((c) => asString(c.image)).join(',')];
}

/** metav1.FormatLabelSelector: "k=v,k2 in (a,b)", "<none>" when empty or unset, "<error>" when invalid. */
export function formatLabelSelector(selector: unknown): string {
  if (selector === undefined || selector === null) return '<none>';
  try {
    const s = labelSelectorAsSelector(selector as LabelSelector).toString();
    return s === '' ? '<none>' : s;
  } catch {
    return '<error>';
  }
}
