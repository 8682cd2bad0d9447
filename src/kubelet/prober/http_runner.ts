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

export async function runHTTPProbe(t: HTTPProbeTarget): Promise<ProbeOutcome> {
  const port = resolvePort(t.action.port, t.container);
  if (port instanceof Error) return { result: 'Unknown', output: port.message };
  const host = t.action.host || t.podIP;
  if (!host) return { result: 'Unknown', output: 'pod has no IP address yet' };
  const url = buildURL(t.action.scheme, host, port, t.action.path);
  try {
    const res = await httpGet({
      url,
      headers: requestHeaders(t.action.httpHeaders, `kube-probe/${majorMinor(t.kubeVersion)}`),
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
