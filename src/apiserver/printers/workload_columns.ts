// Cells workload printers share (upstream layoutContainerCells and FormatLabelSelector): a template's
// container names and images joined by ",", and a LabelSelector in its string form.
import { labelSelectorAsSelector, requirementString, type LabelSelector } from '../../api/labels.js';
import { column } from './columns.js';
import { asArray, asDict, asString } from './format.js';
import type { TableColumn } from './types.js';

export const containersColumn: TableColumn = column('Containers', 'string', 'Names of each container in the template.', 1);
export const imagesColumn: TableColumn = column('Images', 'string', 'Images referenced by each container in the template.', 1);
export const selectorColumn: TableColumn = column('Selector', 'string', 'Label query over the pods the controller manages.', 1);

/** [names, images] of the containers of a pod template. */
export function templateContainerCells(template: unknown): [string, string] {
  const containers = asArray(asDict(asDict(template).spec).containers).map(asDict);
  return [containers.map((c) => asString(c.name)).join(','), containers.map((c) => asString(c.image)).join(',')];
}

/** metav1.FormatLabelSelector: "<none>" for none or empty, "<error>" for an invalid one. */
export function formatLabelSelector(sel: unknown): string {
  if (sel === undefined || sel === null) return '<none>';
  try {
    const s = labelSelectorAsSelector(sel as LabelSelector);
    const str = s.requirements.map(requirementString).join(',');
    return str || '<none>';
  } catch {
    return '<error>';
  }
}
