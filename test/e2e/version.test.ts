// The Kubernetes version k8ts reports (the release whose API it serves): /version, the OpenAPI documents'
// info.version and the real kubectl's `version`, whose skew warning follows upstream's ±1 minor rule.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TestCluster } from '../helpers/cluster.js';

describe('version', { concurrency: 1 }, () => {
  let c: TestCluster;
  before(async () => {
    c = await new TestCluster().start();
  });
  after(async () => {
    await c.cleanup();
  });

  it('reports v1.33 in /version and in both OpenAPI documents', async () => {
    const v = (await c.api('GET', '/version')).body;
    assert.equal(v.major, '1');
    assert.equal(v.minor, '33');
    assert.match(v.gitVersion, /^v1\.33\.\d+\+k8ts$/);
    assert.equal((await c.api('GET', '/openapi/v2')).body.info.version, v.gitVersion);
    assert.equal((await c.api('GET', '/openapi/v3/api/v1')).body.info.version, v.gitVersion);
  });

  it('gives kubectl 1.32 and 1.33 no version-skew warning, and 1.31 the upstream one', async () => {
    const gitVersion = (await c.api('GET', '/version')).body.gitVersion;
    for (const minor of [32, 33]) {
      const r = await c.kubectl(['version', '-o', 'json'], { minor });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(JSON.parse(r.stdout).serverVersion.gitVersion, gitVersion);
      assert.doesNotMatch(r.stderr, /WARNING/, `kubectl 1.${minor}`);
    }
    const old = await c.kubectl(['version'], { minor: 31 });
    assert.equal(old.code, 0, old.stderr);
    assert.match(old.stdout, new RegExp(`Server Version: ${gitVersion.replace(/[.+]/g, '\\$&')}`));
    assert.match(old.stderr, /WARNING: version difference between client \(1\.31\) and server \(1\.33\) exceeds the supported minor version skew of \+\/-1/);
  });
});
