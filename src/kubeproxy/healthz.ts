// kube-proxy's /healthz (and /livez) on --healthz-bind-address: 200 while the kernel caught up with every change
// seen more than twice the sync period ago, else 503; the body is upstream's JSON (lastUpdated, currentTime).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Proxier } from './proxier.js';

export async function startHealthz(proxier: Proxier, bind: string, staleMs: number): Promise<{ port: number; close(): Promise<void> }> {
  const i = bind.lastIndexOf(':');
  if (i < 0) throw new Error(`--healthz-bind-address wants HOST:PORT, got ${JSON.stringify(bind)}`);
  const host = bind.slice(0, i).replace(/^\[|\]$/g, '') || '0.0.0.0';
  const port = Number(bind.slice(i + 1));
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid port in --healthz-bind-address ${JSON.stringify(bind)}`);
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/healthz' && path !== '/livez') {
      res.writeHead(404).end();
      return;
    }
    const now = Date.now();
    const ok = proxier.healthy(staleMs, now);
    const body = {
      lastUpdated: proxier.lastSyncAt ? new Date(proxier.lastSyncAt).toISOString() : '',
      currentTime: new Date(now).toISOString(),
      nodeEligible: true,
    };
    res.writeHead(ok ? 200 : 503, { 'Content-Type': 'application/json', 'X-Content-Type-Options': 'nosniff' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise((r) => server.close(() => r())),
  };
}
