// Endpoints (NAME, ENDPOINTS, AGE) and EndpointSlice (NAME, ADDRESSTYPE, PORTS, ENDPOINTS, AGE) printers, with
// upstream's "first three, then + N more..." lists.
import { ageColumn, column, nameColumn } from './columns.js';
import { translateTimestampSince } from './duration.js';
import { asArray, asDict, asNumber, asString } from './format.js';
import type { Printer } from './types.js';

const MAX = 3;

function withMore(list: string[], count: number, empty: string): string {
  const ret = list.join(',');
  if (count > list.length) return `${ret} + ${count - MAX} more...`;
  return ret || empty;
}

/** ip:port for each port of each subset (the addresses alone for subsets without ports), as upstream. */
export function formatEndpoints(subsets: unknown): string {
  const ss = asArray(subsets);
  if (ss.length === 0) return '<none>';
  const list: string[] = [];
  let count = 0;
  for (const s of ss.map(asDict)) {
    const addrs = asArray(s.addresses).map((a) => asString(asDict(a).ip));
    const ports = asArray(s.ports).map((p) => asNumber(asDict(p).port));
    if (ports.length === 0) {
      count += addrs.length;
      for (const ip of addrs) if (list.length < MAX) list.push(ip);
      continue;
    }
    for (const port of ports) {
      count += addrs.length;
      for (const ip of addrs) if (list.length < MAX) list.push(ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`);
    }
  }
  return withMore(list, count, '');
}

export const endpointsPrinter: Printer = {
  columns: [nameColumn, column('Endpoints', 'string', 'Endpoints is the list of endpoints (ip:port) of the service.'), ageColumn],
  cells: (ep, now) => [asString(ep.metadata.name), formatEndpoints(ep.subsets), translateTimestampSince(ep.metadata.creationTimestamp, now)],
};

export const endpointSlicePrinter: Printer = {
  columns: [
    nameColumn,
    column('AddressType', 'string', 'The type of address carried by this EndpointSlice.'),
    column('Ports', 'string', 'Ports of the endpoints in this slice.'),
    column('Endpoints', 'string', 'Addresses of the endpoints in this slice.'),
    ageColumn,
  ],
  cells: (slice, now) => {
    const ports = asArray(slice.ports).map(asDict);
    const portList = ports
      .slice(0, MAX)
      .map((p) => (p.port !== undefined && p.port !== null ? String(asNumber(p.port)) : p.name !== undefined ? asString(p.name) : '*'));
    const addrs = asArray(slice.endpoints).flatMap((e) => asArray(asDict(e).addresses).map(asString));
    return [
      asString(slice.metadata.name),
      asString(slice.addressType),
      withMore(portList, ports.length, '<unset>'),
      withMore(addrs.slice(0, MAX), addrs.length, '<unset>'),
      translateTimestampSince(slice.metadata.creationTimestamp, now),
    ];
  },
};
