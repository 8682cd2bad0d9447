// Event printer for core/v1 and events.k8s.io/v1 Events: LAST SEEN, TYPE, REASON, OBJECT, MESSAGE
// (+ wide SUBOBJECT, SOURCE, FIRST SEEN, COUNT, NAME), in upstream's column order.
import type { KubeObject } from '../../api/types.js';
import { column } from './columns.js';
import { translateTimestampSince, parseTime } from './duration.js';
import { asDict, asNumber, asString } from './format.js';
import type { Printer } from './types.js';

/** The fields the printer needs, normalised from either Event API. */
interface EventView {
  name: string;
  type: string;
  reason: string;
  message: string;
  kind: string;
  objectName: string;
  fieldPath: string;
  sourceComponent: string;
  sourceHost: string;
  reportingController: string;
  reportingInstance: string;
  firstTimestamp: unknown;
  lastTimestamp: unknown;
  eventTime: unknown;
  count: number;
  series?: { count: number; lastObservedTime: unknown };
}

function seriesOf(v: unknown): EventView['series'] {
  if (v === null || typeof v !== 'object') return undefined;
  const s = asDict(v);
  return { count: asNumber(s.count), lastObservedTime: s.lastObservedTime };
}

function viewOf(ev: KubeObject): EventView {
  const isEventsAPI = typeof ev.apiVersion === 'string' && ev.apiVersion.startsWith('events.k8s.io/');
  const obj = asDict(isEventsAPI ? ev.regarding : ev.involvedObject);
  const source = asDict(isEventsAPI ? ev.deprecatedSource : ev.source);
  return {
    name: asString(ev.metadata.name),
    type: asString(ev.type),
    reason: asString(ev.reason),
    message: asString(isEventsAPI ? ev.note : ev.message),
    kind: asString(obj.kind),
    objectName: asString(obj.name),
    fieldPath: asString(obj.fieldPath),
    sourceComponent: asString(source.component),
    sourceHost: asString(source.host),
    // core/v1 serialises ReportingController as "reportingComponent".
    reportingController: asString(isEventsAPI ? ev.reportingController : ev.reportingComponent),
    reportingInstance: asString(ev.reportingInstance),
    firstTimestamp: isEventsAPI ? ev.deprecatedFirstTimestamp : ev.firstTimestamp,
    lastTimestamp: isEventsAPI ? ev.deprecatedLastTimestamp : ev.lastTimestamp,
    eventTime: ev.eventTime,
    count: asNumber(isEventsAPI ? ev.deprecatedCount : ev.count),
    series: seriesOf(ev.series),
  };
}

/** "component, host", using the reporting controller/instance when the legacy source is empty. */
export function formatEventSource(v: Pick<EventView, 'sourceComponent' | 'sourceHost' | 'reportingController' | 'reportingInstance'>): string {
  const component = v.sourceComponent || v.reportingController;
  const instance = v.sourceHost || v.reportingInstance;
  return instance ? `${component}, ${instance}` : component;
}

export const eventPrinter: Printer = {
  columns: [
    column('Last Seen', 'string', 'Time since the event was last observed.'),
    column('Type', 'string', 'Event type (Normal or Warning).'),
    column('Reason', 'string', 'Short machine-readable reason for the event.'),
    column('Object', 'string', 'Object the event is about, as kind/name.'),
    column('Subobject', 'string', 'Field path within the object (for example a container), if any.', 1),
    column('Source', 'string', 'Component (and host) that reported the event.', 1),
    column('Message', 'string', 'Human-readable description of the event.'),
    column('First Seen', 'string', 'Time since the event was first observed.', 1),
    column('Count', 'string', 'How many times the event has occurred.', 1),
    column('Name', 'string', 'Name of the Event object.', 1, 'name'),
  ],
  cells(ev: KubeObject, now: Date): unknown[] {
    const v = viewOf(ev);
    let first = translateTimestampSince(v.firstTimestamp, now);
    if (parseTime(v.firstTimestamp) === undefined) first = translateTimestampSince(v.eventTime, now);
    let last = translateTimestampSince(v.lastTimestamp, now);
    if (parseTime(v.lastTimestamp) === undefined) last = first;
    let count = v.count;
    if (v.series) {
      last = translateTimestampSince(v.series.lastObservedTime, now);
      count = v.series.count;
    } else if (count === 0) {
      count = 1; // singleton events carry no count in the new API
    }
    const kind = v.kind.toLowerCase();
    const target = v.objectName ? `${kind}/${v.objectName}` : kind;
    return [last, v.type, v.reason, target, v.fieldPath, formatEventSource(v), v.message.trim(), first, count, v.name];
  },
};
