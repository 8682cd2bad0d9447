// Resolution of a probe/hook port (number, numeric string or container port name) and URL host joining.
import type { Container, IntOrString } from '../../api/core/v1/types.js';

/** The port number, or an Error with upstream's wording when it cannot be resolved. */
export function resolvePort(port: IntOrString, container: Pick<Container, 'ports'>): number | Error {
  let n: number;
  if (typeof port === 'number') n = port;
  else if (/^\d+$/.test(port)) n = Number(port);
  else {
    const found = (container.ports ?? []).find((p) => p.name === port);
    if (!found) return new Error(`couldn't find port: ${port} in ${JSON.stringify({ name: (container as Container).name, ports: container.ports ?? [] })}`);
    n = found.containerPort;
  }
  if (!Number.isInteger(n) || n <= 0 || n >= 65536) return new Error(`invalid port number: ${n}`);
  return n;
}

/** host:port with IPv6 literals bracketed (Go's net.JoinHostPort). */
export function joinHostPort(host: string, port: number): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]:${port}` : `${host}:${port}`;
}
