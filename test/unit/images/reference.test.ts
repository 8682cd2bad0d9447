// Unit tests for image reference parsing/normalization and credential selection.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { credentialsFor } from '../../../src/runtime/images/auth.js';
import { InvalidImageNameError } from '../../../src/runtime/images/errors.js';
import { familiarString, normalizeImageReference, parseImageReference } from '../../../src/runtime/images/reference.js';
import { registryBaseURL } from '../../../src/runtime/images/pull.js';

const D = 'sha256:' + 'a'.repeat(64);

describe('image references', () => {
  const cases: [string, string][] = [
    ['busybox', 'docker.io/library/busybox:latest'],
    ['busybox:1.35', 'docker.io/library/busybox:1.35'],
    ['library/busybox', 'docker.io/library/busybox:latest'],
    ['docker.io/busybox', 'docker.io/library/busybox:latest'],
    ['index.docker.io/library/busybox:1', 'docker.io/library/busybox:1'],
    ['bitnami/nginx:1.25', 'docker.io/bitnami/nginx:1.25'],
    ['localhost/x', 'localhost/x:latest'],
    ['localhost:5000/x', 'localhost:5000/x:latest'],
    ['127.0.0.1:5000/x:tag', '127.0.0.1:5000/x:tag'],
    ['quay.io/a/b/c:v1.0-rc_2', 'quay.io/a/b/c:v1.0-rc_2'],
    ['registry.k8s.io/pause:3.9', 'registry.k8s.io/pause:3.9'],
    [`busybox@${D}`, `docker.io/library/busybox@${D}`],
    [`busybox:1.35@${D}`, `docker.io/library/busybox:1.35@${D}`],
    ['[::1]:5000/x', '[::1]:5000/x:latest'],
    ['a__b_c-d/e---f', 'docker.io/a__b_c-d/e---f:latest'],
    ['a.b-c/x', 'a.b-c/x:latest'],
  ];
  for (const [input, want] of cases) {
    it(`normalizes ${input}`, () => assert.equal(normalizeImageReference(input), want));
  }

  it('splits domain, path, tag, digest', () => {
    assert.deepEqual(parseImageReference(`127.0.0.1:5000/ns/x:t@${D}`), {
      domain: '127.0.0.1:5000',
      path: 'ns/x',
      name: '127.0.0.1:5000/ns/x',
      tag: 't',
      digest: D,
    });
    assert.deepEqual(parseImageReference('busybox'), { domain: 'docker.io', path: 'library/busybox', name: 'docker.io/library/busybox' });
  });

  it('prints familiar names', () => {
    assert.equal(familiarString(parseImageReference('docker.io/library/busybox:1.35')), 'busybox:1.35');
    assert.equal(familiarString(parseImageReference('bitnami/nginx')), 'bitnami/nginx');
    assert.equal(familiarString(parseImageReference('quay.io/a/b:1')), 'quay.io/a/b:1');
  });

  const bad: [string, RegExp][] = [
    ['', /invalid reference format/],
    ['Busybox', /invalid reference format|must be lowercase/],
    ['docker.io/Library/busybox', /must be lowercase/],
    ['busybox:', /invalid reference format/],
    ['busybox:-x', /invalid reference format/],
    ['busybox@sha256:abc', /invalid reference format/],
    ['a__b.c-d/e', /invalid reference format/],
    ['busybox@sha256:' + 'a'.repeat(63), /invalid checksum digest length/],
    ['a'.repeat(64), /64-byte hexadecimal/],
    ['busy box', /invalid reference format/],
    ['-busybox', /invalid reference format/],
    ['busybox/', /invalid reference format/],
    ['http://busybox', /invalid reference format/],
    ['host:port/x', /invalid reference format/],
    [' busybox', /invalid reference format/],
    ['x:' + 't'.repeat(129), /invalid reference format/],
    ['r.io/' + 'a'.repeat(260), /not be more than 255/],
  ];
  for (const [input, msg] of bad) {
    it(`rejects ${JSON.stringify(input.length > 40 ? input.slice(0, 40) + '…' : input)}`, () => {
      assert.throws(
        () => parseImageReference(input),
        (e: unknown) => e instanceof InvalidImageNameError && e.reason === 'InvalidImageName' && msg.test(e.message),
      );
    });
  }
});

describe('registry endpoints', () => {
  it('uses http for loopback registries and https otherwise', () => {
    assert.equal(registryBaseURL(parseImageReference('127.0.0.1:5000/x')), 'http://127.0.0.1:5000');
    assert.equal(registryBaseURL(parseImageReference('localhost:5000/x')), 'http://localhost:5000');
    assert.equal(registryBaseURL(parseImageReference('busybox')), 'https://registry-1.docker.io');
    assert.equal(registryBaseURL(parseImageReference('r.example.com/x')), 'https://r.example.com');
    assert.equal(registryBaseURL(parseImageReference('r.example.com/x'), { insecureRegistries: ['r.example.com'] }), 'http://r.example.com');
  });
});

describe('credentials from dockerconfigjson', () => {
  const auth = (u: string, p: string) => Buffer.from(`${u}:${p}`).toString('base64');
  it('matches host, path prefix, docker hub aliases and globs, most specific first', () => {
    const cfg = {
      auths: {
        'https://index.docker.io/v1/': { auth: auth('hub', 'h') },
        'r.example.com:5000': { username: 'host', password: 'p1' },
        'r.example.com:5000/team': { username: 'team', password: 'p2' },
        '*.corp.io': { auth: auth('glob', 'g:with:colons') },
      },
    };
    assert.deepEqual(
      credentialsFor(cfg, parseImageReference('busybox')).map((c) => c.username),
      ['hub'],
    );
    assert.deepEqual(
      credentialsFor(cfg, parseImageReference('r.example.com:5000/team/app')).map((c) => c.username),
      ['team', 'host'],
    );
    assert.deepEqual(
      credentialsFor(cfg, parseImageReference('r.example.com:5000/teamx/app')).map((c) => c.username),
      ['host'],
    );
    assert.deepEqual(credentialsFor(cfg, parseImageReference('r.example.com/x')), []);
    const g = credentialsFor(cfg, parseImageReference('reg.corp.io/x'));
    assert.equal(g.length, 1);
    assert.equal(g[0]!.password, 'g:with:colons');
    assert.deepEqual(credentialsFor(cfg, parseImageReference('a.reg.corp.io/x')), []);
  });
});
