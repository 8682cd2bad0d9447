// Node-level tests for src/runtime: real runc + conmon + catatonit + CNI on this host (needs root).
// Each run uses its own bridge, subnet, cgroup parent and data dir, all removed in after().
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { RuncRuntimeService, type RuntimeServiceOptions, type ContainerStatus } from '../../../src/runtime/index.js';
import { removeCgroup } from '../../../src/runtime/cgroups.js';
import { runDirFor } from '../../../src/runtime/layout.js';
import {
  bridgePorts,
  cgroupDirs,
  hostHasRuntime,
  linkExists,
  makeBusyboxRootfs,
  mountsUnder,
  natRules,
  netnsList,
  processAlive,
  sh,
  uniqueNames,
} from './fixtures.js';

const enabled = hostHasRuntime();
const names = uniqueNames();
const tmp = mkdtempSync(path.join(tmpdir(), 'k8ts-rt-'));
const lower = path.join(tmp, 'rootfs');
const opts: RuntimeServiceOptions = {
  dataDir: path.join(tmp, 'data'),
  bridgeName: names.bridge,
  podSubnet: names.subnet,
  cgroupParent: names.cgroupParent,
};
const runDir = runDirFor(opts.dataDir);
const subnetPrefix = names.subnet.split('.').slice(0, 3).join('.') + '.';
let rt: RuncRuntimeService;
const sandboxIds: string[] = [];
/** conmon and infra (catatonit) processes started by the tests: all must be gone at the end. */
const monitorPids: number[] = [];
const hostportChainsBefore = natRules().includes('CNI-HOSTPORT-');

function ctr(name: string, command: string[], extra: Record<string, unknown> = {}) {
  return { metadata: { name }, image: 'busybox', lowerDirs: [lower], command, ...extra };
}

/** 'net:[inode]' of a netns file, as /proc/<pid>/ns/net reads. */
function statNetns(file: string): string {
  return `net:[${statSync(file).ino}]`;
}

async function waitExited(id: string, ms = 15_000): Promise<ContainerStatus> {
  const deadline = Date.now() + ms;
  for (;;) {
    const s = await rt.containerStatus(id);
    if (s.state === 'CONTAINER_EXITED') return s;
    if (Date.now() > deadline) throw new Error(`container ${id} still ${s.state}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function rememberConmon(id: string): void {
  const pid = Number(readFileSync(path.join(runDir, 'containers', id, 'conmon.pid'), 'utf8').trim());
  assert.ok(pid > 0);
  monitorPids.push(pid);
}

async function newPod(name: string, extra: Record<string, unknown> = {}): Promise<string> {
  const id = await rt.runPodSandbox({ metadata: { name, namespace: 'default', uid: `uid-${name}-${names.prefix}` }, ...extra });
  sandboxIds.push(id);
  const { infraPid } = await rt.sandboxes.get(id);
  assert.ok(infraPid > 0);
  monitorPids.push(infraPid);
  return id;
}

/** /proc/<pid>/status field, e.g. 'CapEff'. */
function procStatus(pid: number, field: string): string {
  return new RegExp(`^${field}:[ \\t]*(.*)$`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]?.trim() ?? '';
}

async function startCtr(sb: string, config: ReturnType<typeof ctr>): Promise<string> {
  const id = await rt.createContainer(sb, config);
  rememberConmon(id);
  await rt.startContainer(id);
  return id;
}

describe('runtime: runc + conmon + CNI', { skip: enabled ? false : 'needs root, runc, conmon, catatonit, busybox, CNI plugins' }, () => {
  let netSandbox = '';
  let httpd = '';

  before(() => {
    makeBusyboxRootfs(lower);
    rt = new RuncRuntimeService(opts);
  });

  after(async () => {
    // Teardown runs even when tests failed: runtime first, then anything the runtime leaked.
    if (rt) for (const id of sandboxIds) await rt.removePodSandbox(id).catch(() => {});
    for (const m of [...mountsUnder(tmp), ...mountsUnder(runDir)].reverse()) sh('umount', ['-l', m]);
    for (const n of netnsList()) if (sandboxIds.some((id) => n === `k8ts-${id.slice(0, 16)}`)) sh('ip', ['netns', 'delete', n]);
    if (linkExists(names.bridge)) sh('ip', ['link', 'delete', names.bridge]);
    names.release();
    // portmap leaves its shared top-level CNI-HOSTPORT-* chains; drop them only if this test created them.
    if (!hostportChainsBefore && !natRules().includes('CNI-DN-')) {
      for (const l of natRules().split('\n')) {
        if (/^-A (PREROUTING|OUTPUT|POSTROUTING) .*-j CNI-HOSTPORT-/.test(l)) sh('sh', ['-c', `iptables -t nat -D ${l.slice(3)}`]); // rules carry quoted comments
      }
      for (const c of ['CNI-HOSTPORT-DNAT', 'CNI-HOSTPORT-SNAT', 'CNI-HOSTPORT-MASQ', 'CNI-HOSTPORT-SETMARK']) {
        sh('iptables', ['-t', 'nat', '-F', c]);
        sh('iptables', ['-t', 'nat', '-X', c]);
      }
    }
    await removeCgroup(names.cgroupParent);
    rmSync(tmp, { recursive: true, force: true });
    rmSync(runDir, { recursive: true, force: true });
  });

  it('runs a sandbox with an IP from the subnet inside its netns', async () => {
    netSandbox = await newPod('net', { hostAliases: [{ ip: '10.244.0.9', hostnames: ['alias-a'] }] });
    const st = await rt.podSandboxStatus(netSandbox);
    assert.equal(st.state, 'SANDBOX_READY');
    assert.ok(st.ip.startsWith(subnetPrefix), `ip ${st.ip} not in ${names.subnet}`);
    const nsName = path.basename(st.netnsPath);
    assert.ok(nsName.startsWith('k8ts-'));
    assert.ok(netnsList().includes(nsName));
    const addr = sh('ip', ['netns', 'exec', nsName, 'ip', '-4', '-o', 'addr', 'show', 'eth0']);
    assert.match(addr, new RegExp(`inet ${st.ip.replace(/\./g, '\\.')}/24`));
    // loopback is brought up by createNetns (no CNI loopback plugin)
    assert.match(sh('ip', ['-n', nsName, '-o', 'link', 'show', 'lo']), /<[^>]*\bUP\b[^>]*>/);
    assert.equal(bridgePorts(names.bridge).length, 1);
    const hosts = readFileSync(path.join(runDir, 'sandboxes', netSandbox, 'files', 'hosts'), 'utf8');
    assert.match(hosts, new RegExp(`${st.ip.replace(/\./g, '\\.')}\\tnet`));
    assert.match(hosts, /10\.244\.0\.9\talias-a/);
  });

  it('holds the pod namespaces in an unprivileged catatonit process in the sandbox cgroup', async () => {
    const sb = await rt.sandboxes.get(netSandbox);
    const pid = sb.infraPid;
    assert.equal(readFileSync(`/proc/${pid}/comm`, 'utf8').trim(), 'catatonit');
    assert.deepEqual(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).slice(-1), ['-P']);
    const ns = (p: number | 'self', t: string) => readlinkSync(`/proc/${p}/ns/${t}`);
    assert.equal(ns(pid, 'net'), statNetns(sb.netnsPath));
    for (const t of ['ipc', 'uts']) assert.notEqual(ns(pid, t), ns('self', t), `${t} namespace is the host's`);
    assert.equal(ns(pid, 'pid'), ns('self', 'pid')); // no shareProcessNamespace: no PID namespace of its own
    for (const f of ['CapEff', 'CapPrm', 'CapInh', 'CapAmb']) assert.equal(procStatus(pid, f), '0000000000000000', f);
    assert.equal(procStatus(pid, 'Uid'), '65535\t65535\t65535\t65535');
    assert.equal(procStatus(pid, 'Gid'), '65535\t65535\t65535\t65535');
    assert.equal(procStatus(pid, 'Groups'), '');
    assert.match(readFileSync(`/proc/${pid}/cgroup`, 'utf8'), new RegExp(`:memory:${names.cgroupParent}/poduid-net-${names.prefix}/${netSandbox}$`, 'm'));
    // a container joins those namespaces and sets the pod hostname in the shared UTS namespace
    const c = await startCtr(netSandbox, ctr('ns', ['sh', '-c', 'hostname; readlink /proc/self/ns/ipc; readlink /proc/self/ns/net']));
    const s = await waitExited(c);
    assert.equal(s.exitCode, 0);
    const out = readFileSync(s.logPath, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split(' ').slice(3).join(' '));
    assert.deepEqual(out, ['net', ns(pid, 'ipc'), ns(pid, 'net')]);
    await rt.removeContainer(c);
  });

  it('shares the pod network between containers and writes CRI-format logs', async () => {
    httpd = await startCtr(netSandbox, ctr('httpd', ['httpd', '-f', '-p', '8080', '-h', '/www']));
    const client = await startCtr(
      netSandbox,
      ctr('client', ['sh', '-c', 'for i in $(seq 1 50); do wget -qO- http://localhost:8080/ && exit 0; sleep 0.1; done; exit 1']),
    );
    const s = await waitExited(client);
    assert.equal(s.exitCode, 0);
    assert.equal(s.reason, 'Completed');
    const log = readFileSync(s.logPath, 'utf8');
    assert.match(log, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d+(Z|[+-]\d{2}:\d{2}) stdout F hello-k8ts$/m);
    assert.equal((await rt.containerStatus(httpd)).state, 'CONTAINER_RUNNING');
  });

  it('records exit codes and both log streams', async () => {
    const id = await startCtr(netSandbox, ctr('exit3', ['sh', '-c', 'echo to-out; echo to-err >&2; exit 3']));
    const s = await waitExited(id);
    assert.equal(s.exitCode, 3);
    assert.equal(s.reason, 'Error');
    const log = readFileSync(s.logPath, 'utf8');
    assert.match(log, / stdout F to-out$/m);
    assert.match(log, / stderr F to-err$/m);
    await rt.removeContainer(id);
    await assert.rejects(rt.containerStatus(id), /not found/);
  });

  it('reports OOMKilled for a memory limit breach', async () => {
    const id = await startCtr(netSandbox, ctr('oom', ['sh', '-c', 'x=a; while true; do x=$x$x; done'], { resources: { memoryLimitBytes: 16 * 1024 * 1024 } }));
    const s = await waitExited(id, 30_000);
    assert.equal(s.reason, 'OOMKilled');
    assert.equal(s.exitCode, 137);
  });

  it('stops with a grace period, then SIGKILL for a container that ignores TERM', async () => {
    const id = await startCtr(netSandbox, ctr('stubborn', ['sh', '-c', 'trap "" TERM; while true; do sleep 0.2; done']));
    const t0 = Date.now();
    await rt.stopContainer(id, 1);
    const took = Date.now() - t0;
    const s = await rt.containerStatus(id);
    assert.equal(s.state, 'CONTAINER_EXITED');
    assert.equal(s.exitCode, 137);
    assert.ok(took >= 1000, `stop returned after ${took}ms, before the grace period`);
    assert.ok(took < 8000, `stop took ${took}ms`);

    const polite = await startCtr(netSandbox, ctr('polite', ['sh', '-c', 'trap "exit 0" TERM; while true; do sleep 0.1; done']));
    await new Promise((r) => setTimeout(r, 200)); // let the shell install its trap
    const t1 = Date.now();
    await rt.stopContainer(polite, 10);
    assert.ok(Date.now() - t1 < 5000);
    assert.equal((await rt.containerStatus(polite)).exitCode, 0);
  });

  it('execSync returns output and exit code, and times out', async () => {
    const r = await rt.execSync(httpd, ['sh', '-c', 'echo out-$HOSTNAME; echo err >&2; exit 4'], 10);
    assert.equal(r.exitCode, 4);
    assert.equal(r.stdout, 'out-net\n');
    assert.equal(r.stderr, 'err\n');
    // the same command again reuses its process.json and still gets fresh output
    const r2 = await rt.execSync(httpd, ['sh', '-c', 'echo out-$HOSTNAME; echo err >&2; exit 4'], 10);
    assert.deepEqual([r2.exitCode, r2.stdout, r2.stderr, r2.timedOut], [4, 'out-net\n', 'err\n', false]);
    const t = await rt.execSync(httpd, ['sleep', '30'], 1);
    assert.equal(t.timedOut, true);
    const ps = await rt.execSync(httpd, ['ps', '-o', 'args']);
    assert.doesNotMatch(ps.stdout, /sleep 30/);
    // runc's pid files are removed after each exec (timed out or not)
    assert.deepEqual(
      readdirSync(path.join(runDir, 'containers', httpd)).filter((f) => f.endsWith('.pid') && f.startsWith('exec-')),
      [],
    );
  });

  it('keeps state across a new RuntimeService (agent restart) while containers keep running', async () => {
    const rt2 = new RuncRuntimeService(opts);
    const sbs = await rt2.listPodSandboxes();
    assert.ok(sbs.some((s) => s.id === netSandbox && s.state === 'SANDBOX_READY'));
    const cs = await rt2.listContainers({ sandboxId: netSandbox });
    const h = cs.find((c) => c.id === httpd);
    assert.ok(h);
    assert.equal(h.state, 'CONTAINER_RUNNING');
    assert.equal(h.name, 'httpd');
    assert.ok(cs.some((c) => c.name === 'oom' && c.reason === 'OOMKilled'));
    const r = await rt2.execSync(httpd, ['wget', '-qO-', 'http://localhost:8080/'], 10);
    assert.equal(r.stdout, 'hello-k8ts\n');
  });

  it('runs a hostNetwork sandbox without netns or CNI', async () => {
    const before = bridgePorts(names.bridge).length;
    const id = await newPod('hostnet', { hostNetwork: true });
    const st = await rt.podSandboxStatus(id);
    assert.equal(st.netnsPath, '');
    assert.equal(st.ip, '');
    assert.equal(bridgePorts(names.bridge).length, before);
    const c = await startCtr(id, ctr('hn', ['sh', '-c', 'cat /proc/net/dev | grep -c eth0']));
    const s = await waitExited(c);
    assert.equal(s.exitCode, 0);
    await rt.removePodSandbox(id);
  });

  it("creates a container whose binary is missing, fails its start with runc's message and leaves nothing of it", async () => {
    const id = await newPod('nobin');
    const c = await rt.createContainer(id, ctr('nobin', ['/no/such/binary']));
    assert.equal((await rt.containerStatus(c)).state, 'CONTAINER_CREATED');
    await assert.rejects(rt.startContainer(c), /exec: "\/no\/such\/binary": stat \/no\/such\/binary: no such file or directory$/);
    const s = await rt.containerStatus(c);
    assert.equal(s.state, 'CONTAINER_EXITED');
    assert.equal(s.exitCode, 128);
    assert.equal(s.reason, 'StartError');
    assert.match(s.message ?? '', /^OCI runtime create failed: .*no such file or directory$/);
    assert.equal(s.startedAt, new Date(0).toISOString());
    assert.ok(!s.message?.includes(c), 'no container id in the message');
    for (const sub of ['attach', 'exits', 'runc', 'containers']) {
      assert.deepEqual(
        readdirSync(path.join(runDir, sub)).filter((n) => n.startsWith(c)),
        [],
        `${sub}/ keeps nothing of it`,
      );
    }
    assert.deepEqual(mountsUnder(path.join(runDir, 'containers', c)), []);
    await rt.removeContainer(c);
    await assert.rejects(rt.containerStatus(c));
    await rt.removePodSandbox(id);
  });

  it('makes catatonit PID 1 of a shared PID namespace (shareProcessNamespace)', async () => {
    const id = await newPod('sharepid', { shareProcessNamespace: true });
    const { infraPid } = await rt.sandboxes.get(id);
    assert.match(procStatus(infraPid, 'NSpid'), /^\d+\s+1$/);
    const c = await startCtr(id, ctr('ps', ['sh', '-c', 'echo $(tr "\\0" " " < /proc/1/cmdline)']));
    const s = await waitExited(c);
    assert.equal(s.exitCode, 0);
    assert.match(readFileSync(s.logPath, 'utf8'), /stdout F \/usr\/bin\/catatonit -P$/m);
    await rt.removePodSandbox(id);
    assert.ok(!processAlive(infraPid));
  });

  it('reports a sandbox whose infra process died as not ready and creates no container in it', async () => {
    const id = await newPod('infradies');
    const { infraPid } = await rt.sandboxes.get(id);
    process.kill(infraPid, 'SIGKILL');
    for (let i = 0; i < 100 && processAlive(infraPid); i++) await new Promise((r) => setTimeout(r, 20));
    await assert.rejects(rt.createContainer(id, ctr('late', ['true'])), /not ready: its infra process is gone/);
    assert.equal((await rt.podSandboxStatus(id)).state, 'SANDBOX_NOTREADY');
    await rt.removePodSandbox(id);
    assert.ok(!netnsList().includes(`k8ts-${id.slice(0, 16)}`));
  });

  it('maps hostPorts with portmap and removes the rules with the sandbox', async () => {
    const hostPort = 20000 + Math.floor(Math.random() * 10000);
    const id = await newPod('ports', { portMappings: [{ hostPort, containerPort: 8080, protocol: 'TCP' }] });
    const nat = natRules();
    assert.ok(
      nat.split('\n').some((l) => l.includes('CNI-DN-') && l.includes(`--dport ${hostPort}`)),
      `no DNAT rule for ${hostPort}`,
    );
    await rt.removePodSandbox(id);
    const after = natRules();
    assert.ok(!after.includes(id), 'nat rules still mention the sandbox');
    assert.ok(!after.includes(`--dport ${hostPort}`));
  });

  it('removes sandboxes without leaving netns, veths, iptables rules, mounts, cgroups or processes', async () => {
    const nsNames = sandboxIds.map((id) => `k8ts-${id.slice(0, 16)}`);
    for (const id of sandboxIds) await rt.removePodSandbox(id);
    assert.deepEqual((await rt.listPodSandboxes()).length, 0);
    assert.deepEqual((await rt.listContainers()).length, 0);
    for (const n of nsNames) assert.ok(!netnsList().includes(n), `netns ${n} left`);
    assert.deepEqual(bridgePorts(names.bridge), []);
    const nat = natRules();
    assert.ok(!nat.includes(subnetPrefix), `nat rules mention ${names.subnet}:\n${nat}`);
    for (const id of sandboxIds) assert.ok(!nat.includes(id), 'nat rules mention a sandbox id');
    assert.deepEqual(mountsUnder(tmp), []);
    assert.deepEqual(mountsUnder(runDir), []);
    for (const d of ['sandboxes', 'containers']) assert.deepEqual(readdirSync(path.join(runDir, d)), [], `${runDir}/${d} not empty`);
    const cgs = cgroupDirs(names.cgroupParent).flatMap((d) => sh('find', [d, '-mindepth', '1', '-type', 'd']).split('\n').filter(Boolean));
    assert.deepEqual(cgs, []);
    // conmon exits once its container is gone (allow a moment for the last exit files)
    await new Promise((r) => setTimeout(r, 300));
    for (const pid of monitorPids) assert.ok(!processAlive(pid), `conmon/infra process ${pid} still alive`);
  });
});
