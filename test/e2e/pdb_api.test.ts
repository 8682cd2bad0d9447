// policy/v1 PodDisruptionBudget through the real kubectl without a node: kubectl create pdb (1.33, 1.27),
// the printer, short name, explain, and bad input (negative, both bounds, >100%) as 422 naming the field.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { TestCluster } from '../helpers/cluster.js';

let c: TestCluster;
before(async () => {
  // the disruption controller would rewrite the status these API tests write by hand (and race their PUTs)
  c = await new TestCluster({ store: 'memory', extraArgs: ['--controllers', '*,-disruption'] }).start();
});
after(async () => {
  await c.cleanup();
});

test('kubectl create pdb, get pdb (1.33 and 1.27), explain', async () => {
  await c.k(['create', 'pdb', 'web', '--selector=app=web', '--min-available=2']);
  await c.k(['create', 'pdb', 'db', '--selector=app=db', '--max-unavailable=25%'], { minor: 27 });
  const got = JSON.parse(await c.k(['get', 'pdb', 'web', '-o', 'json']));
  assert.equal(got.apiVersion, 'policy/v1');
  assert.equal(got.spec.minAvailable, 2);
  assert.deepEqual(got.spec.selector, { matchLabels: { app: 'web' } });
  assert.equal(got.status.disruptionsAllowed, 0);
  assert.equal(got.metadata.generation, 1);
  for (const minor of [33, 27]) {
    const table = (await c.kubectl(['get', 'poddisruptionbudgets'], { minor })).stdout;
    assert.match(table, /^NAME\s+MIN AVAILABLE\s+MAX UNAVAILABLE\s+ALLOWED DISRUPTIONS\s+AGE$/m);
    assert.match(table, /^web\s+2\s+N\/A\s+0\s+\d+s$/m);
    assert.match(table, /^db\s+N\/A\s+25%\s+0\s+\d+s$/m);
  }
  const explain = await c.k(['explain', 'pdb.spec.maxUnavailable']);
  assert.match(explain, /KIND:\s+PodDisruptionBudget/);
  assert.match(explain, /GROUP:\s+policy\n/);
});

test('negative and conflicting PDB values are 422 naming the field, and nothing is stored', async () => {
  const post = (spec: Record<string, unknown>, name: string) =>
    c.api('POST', '/apis/policy/v1/namespaces/default/poddisruptionbudgets', {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name },
      spec,
    });
  const neg = await post({ minAvailable: -1, selector: { matchLabels: { a: 'b' } } }, 'neg');
  assert.equal(neg.status, 422);
  assert.equal(neg.body.details.causes[0].field, 'spec.minAvailable');
  assert.match(neg.body.message, /spec\.minAvailable: Invalid value: -1: must be greater than or equal to 0/);
  const negMax = await post({ maxUnavailable: -3 }, 'negmax');
  assert.equal(negMax.status, 422);
  assert.equal(negMax.body.details.causes[0].field, 'spec.maxUnavailable');
  const both = await post({ minAvailable: 1, maxUnavailable: 1 }, 'both');
  assert.equal(both.status, 422);
  assert.match(both.body.message, /minAvailable and maxUnavailable cannot be both set/);
  const pct = await post({ maxUnavailable: '120%' }, 'pct');
  assert.equal(pct.status, 422);
  assert.match(pct.body.message, /spec\.maxUnavailable: Invalid value: "120%": must not be greater than 100%/);
  const bad = await post({ minAvailable: 'lots' }, 'bad');
  assert.equal(bad.status, 422);
  assert.equal(bad.body.details.causes[0].field, 'spec.minAvailable');
  const r = await c.kubectl(['apply', '-f', '-'], {
    input: 'apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: cli}\nspec: {maxUnavailable: -1, selector: {matchLabels: {app: x}}}\n',
  });
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /PodDisruptionBudget.* "cli" is invalid: spec\.maxUnavailable: Invalid value: -1: must be greater than or equal to 0/);
  const list = await c.api('GET', '/apis/policy/v1/namespaces/default/poddisruptionbudgets');
  assert.deepEqual(
    list.body.items.map((p: { metadata: { name: string } }) => p.metadata.name).filter((n: string) => !['web', 'db'].includes(n)),
    [],
  );
});

test('status is written only through the status subresource; negative counts are 422', async () => {
  await c.k(['create', 'pdb', 'st', '--selector=app=st', '--min-available=1']);
  const cur = (await c.api('GET', '/apis/policy/v1/namespaces/default/poddisruptionbudgets/st')).body;
  const put = await c.api('PUT', '/apis/policy/v1/namespaces/default/poddisruptionbudgets/st/status', {
    ...cur,
    status: { ...cur.status, disruptionsAllowed: -1 },
  });
  assert.equal(put.status, 422);
  assert.equal(put.body.details.causes[0].field, 'status.disruptionsAllowed');
  const ok = await c.api('PUT', '/apis/policy/v1/namespaces/default/poddisruptionbudgets/st/status', {
    ...cur,
    status: { ...cur.status, currentHealthy: 3, desiredHealthy: 1, expectedPods: 3, disruptionsAllowed: 2 },
  });
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  assert.equal(ok.body.status.disruptionsAllowed, 2);
  const main = await c.api('PUT', '/apis/policy/v1/namespaces/default/poddisruptionbudgets/st', {
    ...ok.body,
    status: { ...ok.body.status, disruptionsAllowed: 9 },
  });
  assert.equal(main.status, 200);
  assert.equal(main.body.status.disruptionsAllowed, 2);
});
