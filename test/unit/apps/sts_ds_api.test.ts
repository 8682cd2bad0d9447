// StatefulSet / DaemonSet / ControllerRevision defaults, validation and printers (pure, no server).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DaemonSet, StatefulSet } from '../../../src/api/apps/v1/workload_types.js';
import { setDefaultsDaemonSet, setDefaultsStatefulSet } from '../../../src/api/apps/v1/workload_defaults.js';
import { validateStatefulSet, validateStatefulSetUpdate } from '../../../src/api/apps/v1/validation/stateful_set.js';
import { validateDaemonSet, validateDaemonSetUpdate } from '../../../src/api/apps/v1/validation/daemon_set.js';
import { validateControllerRevision, validateControllerRevisionUpdate } from '../../../src/api/apps/v1/validation/controller_revision.js';
import { printerFor } from '../../../src/apiserver/printers/index.js';

const template = (labels: Record<string, string>) => ({
  metadata: { labels },
  spec: { containers: [{ name: 'c', image: 'busybox:1.35' }] },
});

function sts(spec: Record<string, unknown> = {}): StatefulSet {
  return setDefaultsStatefulSet({
    metadata: { name: 'web', namespace: 'default' },
    spec: { selector: { matchLabels: { app: 'web' } }, serviceName: 'web', template: template({ app: 'web' }), ...spec },
  } as StatefulSet);
}

function ds(spec: Record<string, unknown> = {}): DaemonSet {
  return setDefaultsDaemonSet({
    metadata: { name: 'agent', namespace: 'default' },
    spec: { selector: { matchLabels: { app: 'agent' } }, template: template({ app: 'agent' }), ...spec },
  } as DaemonSet);
}

const fields = (causes: { field?: string }[]) => causes.map((c) => c.field);

test('StatefulSet defaults as upstream', () => {
  const s = sts();
  assert.equal(s.spec.replicas, 1);
  assert.equal(s.spec.podManagementPolicy, 'OrderedReady');
  assert.deepEqual(s.spec.updateStrategy, { type: 'RollingUpdate', rollingUpdate: { partition: 0 } });
  assert.equal(s.spec.revisionHistoryLimit, 10);
  assert.deepEqual(s.spec.persistentVolumeClaimRetentionPolicy, { whenDeleted: 'Retain', whenScaled: 'Retain' });
  assert.equal(s.spec.template.spec?.restartPolicy, 'Always');
  // pod admission's defaults are not a template's
  assert.equal(s.spec.template.spec?.serviceAccountName, undefined);
  assert.deepEqual(validateStatefulSet(s), []);
  const onDelete = sts({ updateStrategy: { type: 'OnDelete' } });
  assert.deepEqual(onDelete.spec.updateStrategy, { type: 'OnDelete' });
});

test('DaemonSet defaults as upstream', () => {
  const d = ds();
  assert.deepEqual(d.spec.updateStrategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } });
  assert.equal(d.spec.revisionHistoryLimit, 10);
  assert.deepEqual(validateDaemonSet(d), []);
});

test('StatefulSet bad input names the field', () => {
  const vct = validateStatefulSet(sts({ volumeClaimTemplates: [{ metadata: { name: 'data' } }] }));
  assert.deepEqual(fields(vct), ['spec.volumeClaimTemplates']);
  assert.match(vct[0]!.message!, /volumeClaimTemplates are not supported/);

  const mismatch = validateStatefulSet(sts({ selector: { matchLabels: { app: 'other' } } }));
  assert.deepEqual(fields(mismatch), ['spec.template.metadata.labels']);
  assert.equal(mismatch[0]!.message, 'Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`');

  const neg = validateStatefulSet(sts({ replicas: -1 }));
  assert.deepEqual(fields(neg), ['spec.replicas']);
  assert.equal(neg[0]!.message, 'Invalid value: -1: must be greater than or equal to 0');

  assert.deepEqual(fields(validateStatefulSet(sts({ selector: undefined }))), ['spec.selector']);
  assert.deepEqual(fields(validateStatefulSet(sts({ podManagementPolicy: 'Random' }))), ['spec.podManagementPolicy']);
  assert.deepEqual(fields(validateStatefulSet(sts({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: -2 } } }))), [
    'spec.updateStrategy.rollingUpdate.partition',
  ]);
  assert.deepEqual(fields(validateStatefulSet(sts({ ordinals: { start: -1 } }))), ['spec.ordinals.start']);
  const never = sts();
  never.spec.template.spec!.restartPolicy = 'Never';
  assert.deepEqual(fields(validateStatefulSet(never)), ['spec.template.spec.restartPolicy']);
});

test('StatefulSet update: selector and serviceName are immutable, template and replicas are not', () => {
  const old = sts();
  old.metadata.resourceVersion = '1';
  const changedSel = sts({ selector: { matchLabels: { app: 'web', tier: 'x' } }, template: template({ app: 'web', tier: 'x' }) });
  const causes = validateStatefulSetUpdate(changedSel, old);
  assert.deepEqual(fields(causes), ['spec']);
  assert.match(causes[0]!.message!, /^Forbidden: updates to statefulset spec for fields other than 'replicas'/);
  assert.deepEqual(fields(validateStatefulSetUpdate(sts({ serviceName: 'other' }), old)), ['spec']);
  const ok = sts({ replicas: 5, template: { ...template({ app: 'web' }), spec: { containers: [{ name: 'c', image: 'busybox:latest' }] } } });
  assert.deepEqual(validateStatefulSetUpdate(ok, old), []);
});

test('DaemonSet bad input and immutable selector', () => {
  const both0 = validateDaemonSet(ds({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 0 } } }));
  assert.deepEqual(fields(both0), ['spec.updateStrategy.rollingUpdate.maxUnavailable']);
  assert.match(both0[0]!.message!, /may not be 0 when `maxSurge` is 0/);
  assert.deepEqual(fields(validateDaemonSet(ds({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '150%' } } }))), [
    'spec.updateStrategy.rollingUpdate.maxUnavailable',
  ]);
  assert.deepEqual(fields(validateDaemonSet(ds({ updateStrategy: { type: 'Sometimes' } }))), ['spec.updateStrategy.type']);
  assert.deepEqual(fields(validateDaemonSet(ds({ selector: { matchLabels: {} } }))), ['spec.selector']);
  const old = ds();
  const moved = ds({ selector: { matchLabels: { app: 'agent', v: '2' } }, template: template({ app: 'agent', v: '2' }) });
  const causes = validateDaemonSetUpdate(moved, old);
  assert.deepEqual(fields(causes), ['spec.selector']);
  assert.match(causes[0]!.message!, /field is immutable$/);
});

test('ControllerRevision: data required and immutable', () => {
  const cr = { metadata: { name: 'web-abc', namespace: 'default' }, data: { spec: {} }, revision: 1 };
  assert.deepEqual(validateControllerRevision(cr), []);
  assert.deepEqual(fields(validateControllerRevision({ ...cr, data: undefined })), ['data']);
  assert.deepEqual(fields(validateControllerRevisionUpdate({ ...cr, data: { spec: { x: 1 } } }, cr)), ['data']);
  assert.deepEqual(validateControllerRevisionUpdate({ ...cr, revision: 4 }, cr), []);
});

const now = new Date('2024-05-01T12:00:00Z');
const created = '2024-04-29T07:00:00Z';
const headers = (resource: string) => printerFor('apps', resource).columns.map((c) => (c.priority > 0 ? `${c.name}*` : c.name));

test('printers: columns and cells as upstream', () => {
  assert.deepEqual(headers('statefulsets'), ['Name', 'Ready', 'Age', 'Containers*', 'Images*']);
  const s = sts({ replicas: 3 });
  s.metadata.creationTimestamp = created;
  s.status = { replicas: 3, readyReplicas: 2 };
  assert.deepEqual(printerFor('apps', 'statefulsets').cells(s, now), ['web', '2/3', '2d5h', 'c', 'busybox:1.35']);

  assert.deepEqual(headers('daemonsets'), [
    'Name',
    'Desired',
    'Current',
    'Ready',
    'Up-to-date',
    'Available',
    'Node Selector',
    'Age',
    'Containers*',
    'Images*',
    'Selector*',
  ]);
  const d = ds();
  d.metadata.creationTimestamp = created;
  d.spec.template.spec!.nodeSelector = { disk: 'ssd' };
  d.status = { desiredNumberScheduled: 3, currentNumberScheduled: 3, numberReady: 2, updatedNumberScheduled: 1, numberAvailable: 2, numberMisscheduled: 0 };
  assert.deepEqual(printerFor('apps', 'daemonsets').cells(d, now), ['agent', 3, 3, 2, 1, 2, 'disk=ssd', '2d5h', 'c', 'busybox:1.35', 'app=agent']);

  assert.deepEqual(headers('controllerrevisions'), ['Name', 'Controller', 'Revision', 'Age']);
  const cr = {
    metadata: {
      name: 'web-7d9f',
      creationTimestamp: created,
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'u', controller: true }],
    },
    revision: 2,
  };
  assert.deepEqual(printerFor('apps', 'controllerrevisions').cells(cr, now), ['web-7d9f', 'statefulset.apps/web', 2, '2d5h']);
  assert.equal(printerFor('apps', 'controllerrevisions').cells({ metadata: { name: 'x' }, revision: 1 }, now)[1], '<none>');
});
