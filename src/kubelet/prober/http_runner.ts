// HTTP GET probe handler (upstream pkg/probe/http): 200–399 = Success, other codes = Failure
// ("HTTP probe failed with statuscode: N"), transport errors and timeouts = Failure with the error text;
// a redirect to another host is not followed and counts as Success with a warning.
import type { Container, HTTPGetAction } from '../../api/core/v1/types.js';
import { buildURL, httpGet, requestHeaders } from './http_get.js';
import { resolvePort } from './ports.js';
import { majorMinor, MAX_PROBE_OUTPUT, type ProbeOutcome } from './types.js';

export interface HTTPProbeTarget {
  action: HTTPGetAction;
  container: Pick<Container, 'name' | 'ports'>;
  /** Used when action.host is empty. */
  podIP?: string;
  timeoutSec: number;
  kubeVersion?: string;
}

/** The URL and headers of a probe, kept per action object (a worker probes the same one every period). */
interface Prepared {
  host: string;
  port: number;
  kubeVersion?: string;
  url: URL;
  headers: [string, string][];
}
const prepared = new WeakMap<HTTPGetAction, Prepared>();

function prepare(action: HTTPGetAction, host: string, port: number, kubeVersion: string | undefined): Prepared {
  const p = prepared.get(action);
  if (p && p.host === host && p.port === port && p.kubeVersion === kubeVersion) return p;
  const fresh: Prepared = {
    host,
    port,
    kubeVersion,
    url: buildURL(action.scheme, host, port, action.path),
    headers: requestHeaders(action.httpHeaders, `kube-probe/${majorMinor(kubeVersion)}`),
  };
  prepared.set(action, fresh);
  return fresh;
}

export async function runHTTPProbe(t: HTTPProbeTarget): Promise<ProbeOutcome> {
  const port = resolvePort(t.action.port, t.container);
  if (port instanceof Error) return { result: 'Unknown', output: port.message };
  const host = t.action.host || t.podIP;
  if (!host) return { result: 'Unknown', output: 'pod has no IP address yet' };
  const { url, headers } = prepare(t.action, host, port, t.kubeVersion);
  try {
    const res = await httpGet({
      url,
      headers,
      timeoutMs: t.timeoutSec * 1000,
      followNonLocalRedirects: false,
      maxBody: MAX_PROBE_OUTPUT,
    });
    if (res.status >= 200 && res.status < 400) {
      if (res.status >= 300) {
        const warning = `Probe terminated redirects, Response body: ${res.body}`;
        return { result: 'Success', output: warning, warning };
      }
      return { result: 'Success', output: res.body };
    }
    return { result: 'Failure', output: `HTTP probe failed with statuscode: ${res.status}` };
  } catch (e) {
    // Upstream converts every client error (refused, reset, timeout) into a Failure.
    return { result: 'Failure', output: (e as Error).message };
  }
}
