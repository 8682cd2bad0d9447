// KubeClient.watch against a hand-written HTTP server: a line that is not JSON ends the watch as an error
// (no exception out of the socket callback), an HTTP error answer arrives as one ERROR event with its Status,
// and stop() reports "stopped".
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Status, WatchEvent } from '../../../src/api/types.js';
import { KubeClient } from '../../../src/client/rest.js';

async function serve(handler: http.RequestListener): Promise<{ client: KubeClient; close(): Promise<void> }> {
  const srv = http.createServer(handler);
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const client = new KubeClient({ server: `http://127.0.0.1:${(srv.address() as AddressInfo).port}` });
  return {
    client,
    close: async () => {
      client.close();
      srv.closeAllConnections();
      await new Promise((r) => srv.close(r));
    },
  };
}

describe('KubeClient.watch', () => {
  it('ends with an error on a malformed line, after delivering the events before it', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('{"type":"ADDED","object":{"metadata":{"name":"a","resourceVersion":"5"}}}\n');
      res.write('this is not json\n');
      res.write('{"type":"ADDED","object":{"metadata":{"name":"b","resourceVersion":"6"}}}\n');
    });
    try {
      const events: WatchEvent[] = [];
      const w = s.client.watch('/api/v1/configmaps', '1', (ev) => events.push(ev));
      const end = await w.done;
      assert.equal(end.reason, 'error');
      assert.match(String(end.error?.message), /malformed watch event/);
      assert.deepEqual(
        events.map((e) => e.object.metadata.name),
        ['a'],
      );
    } finally {
      await s.close();
    }
  });

  it('turns an HTTP error answer into one ERROR event carrying the Status', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(410, { 'Content-Type': 'application/json' });
      res.end(
        JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 410, reason: 'Expired', message: 'too old resource version: 1 (50)' }),
      );
    });
    try {
      const events: WatchEvent[] = [];
      const end = await s.client.watch('/api/v1/configmaps', '1', (ev) => events.push(ev)).done;
      assert.equal(end.reason, 'closed');
      assert.equal(events.length, 1);
      assert.equal(events[0]!.type, 'ERROR');
      assert.equal((events[0]!.object as unknown as Status).code, 410);
    } finally {
      await s.close();
    }
  });

  it('asks for bookmarks and reports stop() as stopped', async () => {
    let url = '';
    const s = await serve((req, res) => {
      url = req.url ?? '';
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('\n');
    });
    try {
      const w = s.client.watch('/api/v1/pods', '7', () => {}, { fieldSelector: 'spec.nodeName=n1' });
      while (!url) await new Promise((r) => setTimeout(r, 5));
      w.stop();
      assert.equal((await w.done).reason, 'stopped');
      const q = new URL(url, 'http://x').searchParams;
      assert.equal(q.get('allowWatchBookmarks'), 'true');
      assert.equal(q.get('resourceVersion'), '7');
      assert.equal(q.get('fieldSelector'), 'spec.nodeName=n1');
    } finally {
      await s.close();
    }
  });
});
