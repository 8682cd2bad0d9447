// The pure parts of the proxy subresources: upstream's scheme:name:port ids, the proxied path split off the
// request path, and links of proxied HTML and redirects pointed under the proxy path.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { splitSchemeNamePort } from '../../../src/apiserver/proxy/proxy_location.js';
import { splitProxyPath } from '../../../src/apiserver/proxy/resource_proxy.js';
import { rewriteHTML, rewriteLink } from '../../../src/apiserver/proxy/forward.js';

describe('proxy ids, paths and link rewriting', () => {
  it('splits [scheme:]name[:port] as upstream', () => {
    assert.deepEqual(splitSchemeNamePort('web'), { scheme: '', name: 'web', port: '' });
    assert.deepEqual(splitSchemeNamePort('web:8080'), { scheme: '', name: 'web', port: '8080' });
    assert.deepEqual(splitSchemeNamePort('https:kubernetes-dashboard:'), { scheme: 'https', name: 'kubernetes-dashboard', port: '' });
    assert.deepEqual(splitSchemeNamePort('http:web:http'), { scheme: 'http', name: 'web', port: 'http' });
    assert.equal(splitSchemeNamePort('ftp:web:80'), undefined);
    assert.equal(splitSchemeNamePort(':80'), undefined);
    assert.equal(splitSchemeNamePort('a:b:c:d'), undefined);
  });

  it('takes the path after <resource>/<name>/proxy, keeping its trailing slash', () => {
    const base = '/api/v1/namespaces/ns/services/https:dash:/proxy';
    assert.deepEqual(splitProxyPath(`${base}/`, 'services'), { prefix: base, path: '/' });
    assert.deepEqual(splitProxyPath(`${base}/a/b/`, 'services'), { prefix: base, path: '/a/b/' });
    assert.deepEqual(splitProxyPath(base, 'services'), { prefix: base, path: '' });
    assert.equal(splitProxyPath('/api/v1/namespaces/ns/services/x/status', 'services'), undefined);
  });

  it('points absolute links on the target under the proxy prefix and leaves the rest', () => {
    const p = '/api/v1/namespaces/ns/pods/web/proxy';
    assert.equal(rewriteLink('/static/app.js', p, '10.244.1.2:8080'), `${p}/static/app.js`);
    assert.equal(rewriteLink('http://10.244.1.2:8080/x?y=1#z', p, '10.244.1.2:8080'), `${p}/x?y=1#z`);
    assert.equal(rewriteLink('https://example.com/x', p, '10.244.1.2:8080'), 'https://example.com/x');
    assert.equal(rewriteLink('//cdn.example.com/x', p, '10.244.1.2:8080'), '//cdn.example.com/x');
    assert.equal(rewriteLink('rel/x.png', p, '10.244.1.2:8080'), 'rel/x.png');
    assert.equal(
      rewriteHTML(`<link rel="stylesheet" href='/a.css'><script src="/b.js"></script><form action="/post"><p>href="/text"</p>`, p, 'h'),
      `<link rel="stylesheet" href='${p}/a.css'><script src="${p}/b.js"></script><form action="${p}/post"><p>href="/text"</p>`,
    );
  });
});
