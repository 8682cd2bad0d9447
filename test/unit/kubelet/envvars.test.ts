// Container environment: envFrom, ordering, $(VAR) expansion, valueFrom sources, optional/missing
// errors with upstream wording, and command expansion.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  makeEnvironment,
  makeEnvironmentWithWarnings,
  expandCommand,
  ContainerConfigError,
  type EnvContext,
  type EnvWarning,
} from '../../../src/kubelet/envvars.js';
import type { Container, Pod } from '../../../src/api/core/v1/types.js';
import { FakeSource, makePod } from './volume_helpers.js';

function setup(): { source: FakeSource; ctx: EnvContext } {
  const source = new FakeSource();
  source.putConfigMap('cfg', { LOG_LEVEL: 'debug', PORT: '8080', '1BAD': 'x', 'ok.dotted': 'y' });
  source.putSecret('sec', { PASSWORD: 'hunter2', API_KEY: 'k3y' });
  return { source, ctx: { source, nodeName: 'node-1', podIP: '10.244.0.7', hostIP: '192.0.2.10' } };
}

function podWith(container: Container, extra: Partial<NonNullable<Pod['spec']>> = {}, meta: Partial<Pod['metadata']> = {}): Pod {
  return makePod({ containers: [container], ...extra }, meta);
}

async function rejectsWith(p: Promise<unknown>, message: string): Promise<void> {
  await assert.rejects(p, (e: Error) => {
    assert.ok(e instanceof ContainerConfigError, `ContainerConfigError expected, got ${e}`);
    assert.equal(e.reason, 'CreateContainerConfigError');
    assert.equal(e.message, message);
    return true;
  });
}

describe('makeEnvironment', () => {
  it('orders envFrom first, then env in declaration order; later definitions win', async () => {
    const { ctx } = setup();
    const c: Container = {
      name: 'app',
      envFrom: [{ configMapRef: { name: 'cfg' } }, { prefix: 'S_', secretRef: { name: 'sec' } }],
      env: [
        { name: 'Z_FIRST', value: 'z' },
        { name: 'PORT', value: '9090' },
        { name: 'A_LAST', value: 'a' },
      ],
    };
    const { env, warnings } = await makeEnvironmentWithWarnings(podWith(c), c, ctx);
    assert.deepEqual(Object.entries(env), [
      ['LOG_LEVEL', 'debug'],
      ['ok.dotted', 'y'],
      ['S_PASSWORD', 'hunter2'],
      ['S_API_KEY', 'k3y'],
      ['Z_FIRST', 'z'],
      ['PORT', '9090'],
      ['A_LAST', 'a'],
    ]);
    assert.deepEqual(warnings, [
      {
        reason: 'InvalidEnvironmentVariableNames',
        message: 'Keys [1BAD] from the EnvFrom configMap default/cfg were skipped since they are considered invalid environment variable names.',
      },
    ]);
  });

  it('pushes warnings into ctx.warnings and skips optional missing envFrom sources', async () => {
    const { ctx } = setup();
    const sink: EnvWarning[] = [];
    const c: Container = {
      name: 'app',
      envFrom: [
        { configMapRef: { name: 'cfg' }, prefix: '' },
        { configMapRef: { name: 'nope', optional: true } },
        { secretRef: { name: 'nope', optional: true } },
      ],
    };
    const env = await makeEnvironment(podWith(c), c, { ...ctx, warnings: sink });
    assert.equal(env.LOG_LEVEL, 'debug');
    assert.equal(sink.length, 1);
    await rejectsWith(makeEnvironment(podWith(c), { name: 'x', envFrom: [{ configMapRef: { name: 'nope' } }] }, ctx), 'configmap "nope" not found');
    await rejectsWith(makeEnvironment(podWith(c), { name: 'x', envFrom: [{ secretRef: { name: 'nope' } }] }, ctx), 'secret "nope" not found');
  });

  it('expands $(VAR) against earlier variables with upstream escaping rules', async () => {
    const { ctx } = setup();
    const c: Container = {
      name: 'app',
      envFrom: [{ configMapRef: { name: 'cfg' } }],
      env: [
        { name: 'HOST', value: 'db' },
        { name: 'URL', value: 'http://$(HOST):$(PORT)/x' },
        { name: 'ESCAPED', value: '$$(HOST) costs $$5' },
        { name: 'UNKNOWN', value: '$(NOT_DEFINED) and $(LATER)' },
        { name: 'LATER', value: 'later' },
        { name: 'PARTIAL', value: 'a$(HOST b $x $' },
        { name: 'EMPTY' },
        { name: 'SELF', value: '$(SELF)x' },
      ],
    };
    const env = await makeEnvironment(podWith(c), c, ctx);
    assert.equal(env.URL, 'http://db:8080/x');
    assert.equal(env.ESCAPED, '$(HOST) costs $5');
    assert.equal(env.UNKNOWN, '$(NOT_DEFINED) and $(LATER)');
    assert.equal(env.PARTIAL, 'a$(HOST b $x $');
    assert.equal(env.EMPTY, '');
    assert.equal(env.SELF, '$(SELF)x');
  });

  it('resolves fieldRef paths like the kubelet', async () => {
    const { ctx } = setup();
    const f = (name: string, fieldPath: string) => ({ name, valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath } } });
    const c: Container = {
      name: 'app',
      env: [
        f('NAME', 'metadata.name'),
        f('NS', 'metadata.namespace'),
        f('UID', 'metadata.uid'),
        f('APP', "metadata.labels['app']"),
        f('NOTE', "metadata.annotations['example.com/note']"),
        f('LABELS', 'metadata.labels'),
        f('NODE', 'spec.nodeName'),
        f('SA', 'spec.serviceAccountName'),
        f('HOST_IP', 'status.hostIP'),
        f('HOST_IPS', 'status.hostIPs'),
        f('POD_IP', 'status.podIP'),
        f('POD_IPS', 'status.podIPs'),
      ],
    };
    const pod = podWith(
      c,
      { nodeName: 'node-1', serviceAccountName: 'builder' },
      { name: 'web-0', labels: { app: 'web', z: 'q"' }, annotations: { 'example.com/note': 'hi' } },
    );
    const env = await makeEnvironment(pod, c, { ...ctx, podIPs: ['10.244.0.7', 'fd00::7'], hostIPs: ['192.0.2.10', '2001:db8::10'] });
    assert.deepEqual(env, {
      NAME: 'web-0',
      NS: 'default',
      UID: pod.metadata.uid,
      APP: 'web',
      NOTE: 'hi',
      LABELS: 'app="web"\nz="q\\""',
      NODE: 'node-1',
      SA: 'builder',
      HOST_IP: '192.0.2.10',
      HOST_IPS: '192.0.2.10,2001:db8::10',
      POD_IP: '10.244.0.7',
      POD_IPS: '10.244.0.7,fd00::7',
    });
    await rejectsWith(makeEnvironment(pod, { name: 'x', env: [f('BAD', 'spec.containers')] }, ctx), 'field label not supported: spec.containers');
    await rejectsWith(
      makeEnvironment(pod, { name: 'x', env: [{ name: 'V', valueFrom: { fieldRef: { apiVersion: 'v2', fieldPath: 'metadata.name' } } }] }, ctx),
      'unsupported pod version: v2',
    );
  });

  it('resolves resourceFieldRef with divisors, rounding up, and node allocatable defaults', async () => {
    const { ctx } = setup();
    const r = (name: string, resource: string, divisor?: string, containerName?: string) => ({
      name,
      valueFrom: { resourceFieldRef: { resource, divisor, containerName } },
    });
    const c: Container = {
      name: 'app',
      resources: { limits: { cpu: '1500m', memory: '100Mi' }, requests: { cpu: '250m', memory: '1Gi' } },
      env: [
        r('CPU_LIMIT', 'limits.cpu'),
        r('CPU_LIMIT_M', 'limits.cpu', '1m'),
        r('MEM_LIMIT', 'limits.memory'),
        r('MEM_LIMIT_MI', 'limits.memory', '1Mi'),
        r('MEM_LIMIT_G', 'limits.memory', '1G'),
        r('CPU_REQ', 'requests.cpu'),
        r('MEM_REQ_MI', 'requests.memory', '1Mi'),
        r('SIDE_CPU', 'limits.cpu', '1m', 'side'),
        r('SIDE_MEM', 'limits.memory', '1Mi', 'side'),
        r('SIDE_REQ', 'requests.cpu', '1m', 'side'),
      ],
    };
    const pod = podWith(c);
    pod.spec!.containers.push({ name: 'side' });
    const env = await makeEnvironment(pod, c, { ...ctx, nodeAllocatable: { cpu: '3', memory: '2Gi' } });
    assert.deepEqual(env, {
      CPU_LIMIT: '2',
      CPU_LIMIT_M: '1500',
      MEM_LIMIT: String(100 * 1024 * 1024),
      MEM_LIMIT_MI: '100',
      MEM_LIMIT_G: '1',
      CPU_REQ: '1',
      MEM_REQ_MI: '1024',
      SIDE_CPU: '3000',
      SIDE_MEM: '2048',
      SIDE_REQ: '0',
    });
    await rejectsWith(makeEnvironment(pod, { name: 'x', env: [r('X', 'limits.gpu')] }, ctx), 'unsupported container resource : limits.gpu');
    await rejectsWith(makeEnvironment(pod, { name: 'x', env: [r('X', 'limits.cpu', undefined, 'ghost')] }, ctx), 'container ghost not found');
  });

  it('resolves configMapKeyRef and secretKeyRef with optional semantics and upstream errors', async () => {
    const { ctx } = setup();
    const c: Container = {
      name: 'app',
      env: [
        { name: 'LEVEL', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'LOG_LEVEL' } } },
        { name: 'PASS', valueFrom: { secretKeyRef: { name: 'sec', key: 'PASSWORD' } } },
        { name: 'OPT_KEY', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'FOO', optional: true } } },
        { name: 'OPT_CM', valueFrom: { configMapKeyRef: { name: 'absent', key: 'FOO', optional: true } } },
        { name: 'OPT_SEC', valueFrom: { secretKeyRef: { name: 'absent', key: 'FOO', optional: true } } },
        { name: 'AFTER', value: '$(LEVEL)-$(PASS)-$(OPT_KEY)' },
      ],
    };
    const env = await makeEnvironment(podWith(c), c, ctx);
    assert.deepEqual(env, { LEVEL: 'debug', PASS: 'hunter2', AFTER: 'debug-hunter2-$(OPT_KEY)' });
    const one = (v: Container['env']) => makeEnvironment(podWith(c), { name: 'x', env: v }, ctx);
    await rejectsWith(one([{ name: 'A', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'FOO' } } }]), "couldn't find key FOO in ConfigMap default/cfg");
    await rejectsWith(one([{ name: 'A', valueFrom: { configMapKeyRef: { name: 'nocfg', key: 'FOO' } } }]), 'configmap "nocfg" not found');
    await rejectsWith(one([{ name: 'A', valueFrom: { secretKeyRef: { name: 'sec', key: 'FOO' } } }]), "couldn't find key FOO in Secret default/sec");
    await rejectsWith(one([{ name: 'A', valueFrom: { secretKeyRef: { name: 'nosec', key: 'FOO' } } }]), 'secret "nosec" not found');
  });

  it('fetches each referenced object once per call', async () => {
    const { ctx, source } = setup();
    const c: Container = {
      name: 'app',
      envFrom: [{ configMapRef: { name: 'cfg' } }],
      env: [
        { name: 'A', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'PORT' } } },
        { name: 'B', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'LOG_LEVEL' } } },
      ],
    };
    await makeEnvironment(podWith(c), c, ctx);
    assert.equal(source.reads, 1);
  });
});

describe('expandCommand', () => {
  it('expands command and args against the environment', () => {
    const env = { GREETING: 'hello', NAME: 'k8ts' };
    assert.deepEqual(expandCommand(['sh', '-c', 'echo $(GREETING) $(NAME) $$(NAME) $(MISSING)'], env), ['sh', '-c', 'echo hello k8ts $(NAME) $(MISSING)']);
    assert.deepEqual(expandCommand(undefined, env), []);
  });
});
