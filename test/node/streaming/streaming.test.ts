// Streaming end to end with real containers and the real kubectl: exec (WebSocket for 1.30–1.33, SPDY
// for 1.27–1.29; -c, exit codes, piped stdin), exec -it on a pseudo-terminal (stty size, resize,
// Ctrl-C), attach, port-forward with concurrent HTTP, cp of a directory tree both ways, and errors;
// WebSocket clients that send stdin in text frames, and multi-port port-forward where one port fails;
// ephemeral containers: kubectl debug (1.33 and 1.27) in the target's PID namespace, never restarted,
// debug -it and attach on a terminal, and debug --copy-to.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { kubectlBinary, waitFor, type TestCluster } from '../../helpers/cluster.js';
import { apply, getPod, hostCanRunPods, isRunningReady, startAgentCluster, waitPod } from '../kubelet/helpers.js';

const ephemeralStatus = (p: any, name: string) => (p.status?.ephemeralContainerStatuses ?? []).find((s: any) => s.name === name);

const skip = hostCanRunPods() ? false : 'needs root, runc, conmon, catatonit, CNI plugins and busybox-static';

interface Pty {
  onData(cb: (d: string) => void): void;
  onExit(cb: (e: { exitCode: number }) => void): void;
  write(d: string): void;
  resize(c: number, r: number): void;
  kill(sig?: string): void;
}
const pty = createRequire(import.meta.url)('@lydell/node-pty') as { spawn(f: string, a: string[], o: object): Pty };

/** Run kubectl on a pseudo-terminal; `script` drives it step by step. */
async function onTerminal(
  c: TestCluster,
  args: string[],
  exitWaitMs: number,
  script: (t: {
    out: () => string;
    write(s: string): Promise<void>;
    resize(c: number, r: number): void;
    until(re: RegExp, ms?: number): Promise<void>;
  }) => Promise<void>,
): Promise<{ code: number; out: string }> {
  const p = pty.spawn(kubectlBinary(), ['--kubeconfig', c.kubeconfig, ...args], { cols: 100, rows: 30, env: { ...process.env } });
  let out = '';
  p.onData((d) => {
    out += d;
    // Answer the shell's cursor-position query the way a terminal would.
    if (d.includes('\x1b[6n')) p.write('\x1b[1;5R');
  });
  const exited = new Promise<number>((r) => p.onExit((e) => r(e.exitCode)));
  const t = {
    out: () => out,
    // ash asks the terminal for the cursor position at every prompt and drops what is typed meanwhile:
    // give it a moment after each answer before typing.
    write: async (s: string) => {
      await new Promise((res) => setTimeout(res, 600));
      p.write(s);
    },
    resize: (cols: number, rows: number) => p.resize(cols, rows),
    until: (re: RegExp, ms = 15_000) => waitFor(async () => re.test(out), ms, 50).then(() => undefined),
  };
  try {
    await script(t);
  } catch (e) {
    p.kill('SIGKILL');
    throw new Error(`${(e as Error).message}; terminal output: ${JSON.stringify(out)}`);
  }
  const code = await Promise.race([exited, new Promise<number>((r) => setTimeout(() => r(-1), exitWaitMs))]);
  if (code === -1) p.kill('SIGKILL');
  return { code, out };
}

function treeDigest(dir: string, base = dir): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(`${p.slice(base.length)}/`, ...treeDigest(p, base));
    else out.push(`${p.slice(base.length)} ${createHash('sha256').update(readFileSync(p)).digest('hex')}`);
  }
  return out;
}

async function httpGet(port: number, path: string): Promise<{ status: number; body: Buffer }> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: res.status, body: Buffer.from(await res.arrayBuffer()) };
}

/** A raw WebSocket to the API server (what a non-kubectl client such as a browser console does). */
async function openWS(c: TestCluster, path: string, protocol: string): Promise<{ ws: WebSocket; channel(ch: number): string; closed: Promise<void> }> {
  const ws = new WebSocket(c.server.replace(/^http/, 'ws') + path, [protocol], { ...c.tls() });
  const per = new Map<number, Buffer[]>();
  ws.on('message', (d: Buffer) => per.set(d[0], [...(per.get(d[0]) ?? []), d.subarray(1)]));
  const closed = new Promise<void>((r) => ws.once('close', () => r()));
  await new Promise((res, rej) => {
    ws.once('open', res);
    ws.once('error', rej);
  });
  return { ws, channel: (ch) => Buffer.concat(per.get(ch) ?? []).toString('latin1'), closed };
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}

describe('streaming: exec, attach, port-forward, cp', { skip, concurrency: 1 }, () => {
  let c: TestCluster;
  const tmp = mkdtempSync(join(tmpdir(), 'k8ts-stream-test-'));
  before(async () => {
    c = await startAgentCluster();
    await apply(
      c,
      `apiVersion: v1
kind: Pod
metadata: {name: two}
spec:
  containers:
  - {name: main, image: "busybox:1.35", command: ["sleep", "3600"]}
  - {name: side, image: "busybox:1.35", command: ["sh", "-c", "echo side > /tmp/who; exec sleep 3600"]}
---
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
  - name: httpd
    image: "busybox:1.35"
    command: ["sh", "-c", "mkdir -p /www && echo hello-web > /www/index.html && head -c 3000000 /dev/urandom > /www/big && exec httpd -f -p 127.0.0.1:8080 -h /www"]
---
apiVersion: v1
kind: Pod
metadata: {name: tty}
spec:
  containers:
  - {name: sh, image: "busybox:1.35", command: ["sh"], stdin: true, tty: true}
`,
    );
    for (const p of ['two', 'web', 'tty']) await waitPod(c, p, isRunningReady, 60_000);
  });
  after(async () => {
    rmSync(tmp, { recursive: true, force: true });
    const leftovers = await c.cleanupAgent();
    await c.cleanup();
    assert.deepEqual(leftovers, [], 'host resources left behind');
  });

  it('concurrent SPDY execs (kubectl 1.27) each get all their output, however fast the command ends', async () => {
    // the command often ends before the client has opened its streams: its output must wait for them
    const runs = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        c.kubectl(['exec', 'two', '-c', 'main', '--', 'sh', '-c', `echo out-${i}; echo err-${i} >&2; exit 3`], { minor: 27 }),
      ),
    );
    runs.forEach((r, i) => {
      assert.equal(r.code, 3, r.stderr);
      assert.equal(r.stdout, `out-${i}\n`);
      assert.match(r.stderr, new RegExp(`^err-${i}\n`));
    });
  });

  for (const minor of [33, 32, 31, 30, 29, 28, 27]) {
    it(`exec with kubectl 1.${minor}: stdout/stderr apart, exit code, -c`, async () => {
      const r = await c.kubectl(['exec', 'two', '-c', 'main', '--', 'sh', '-c', 'echo out; echo err >&2; exit 3'], { minor });
      assert.equal(r.code, 3, r.stderr);
      assert.equal(r.stdout, 'out\n');
      assert.match(r.stderr, /^err\n/);
      const side = await c.kubectl(['exec', 'two', '-c', 'side', '--', 'cat', '/tmp/who'], { minor });
      assert.equal(side.code, 0, side.stderr);
      assert.equal(side.stdout, 'side\n');
    });
  }

  it('exec without -c defaults to the first container; stdin is piped', async () => {
    const r = await c.kubectl(['exec', '-i', 'web', '--', 'sh', '-c', 'cat; echo done'], { input: 'hi from stdin\n' });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'hi from stdin\ndone\n');
    const old = await c.kubectl(['exec', '-i', 'web', '--', 'wc', '-c'], { input: 'x'.repeat(100_000), minor: 28 });
    assert.equal(old.stdout.trim(), '100000', old.stderr);
  });

  it('exec errors: unknown container; a completed pod is a 400 with the upstream message', async () => {
    const r = await c.kubectl(['exec', 'two', '-c', 'nope', '--', 'true']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /container nope is not valid for pod two/);
    await apply(
      c,
      `apiVersion: v1
kind: Pod
metadata: {name: done}
spec:
  restartPolicy: Never
  containers:
  - {name: main, image: "busybox:1.35", command: ["true"]}
`,
    );
    await waitPod(c, 'done', (p) => p.status?.phase === 'Succeeded', 60_000);
    const d = await c.kubectl(['exec', 'done', '--', 'true']);
    assert.notEqual(d.code, 0);
    assert.match(d.stderr, /cannot exec into a container in a completed pod; current phase is Succeeded/);
  });

  it('exec -it: a real terminal (stty size follows resize) and Ctrl-C interrupts', async () => {
    const r = await onTerminal(c, ['exec', '-it', 'two', '-c', 'main', '--', 'sh'], 15_000, async (t) => {
      await t.until(/\/ # /);
      await t.write('stty size\r');
      await t.until(/30 100/);
      t.resize(120, 40);
      await new Promise((res) => setTimeout(res, 300));
      await t.write('stty size\r');
      await t.until(/40 120/);
      await t.write('sleep 30; echo after-sleep-$?\r');
      await new Promise((res) => setTimeout(res, 700));
      await t.write('\x03');
      await t.write('echo back-$((1+1))\r');
      await t.until(/back-2/, 8000);
      await t.write('tty; exit 7\r');
    });
    assert.match(r.out, /\/dev\/pts\/\d+/);
    assert.doesNotMatch(r.out, /after-sleep-0/);
    assert.equal(r.code, 7);
  });

  it('attach -it to a stdin+tty container', async () => {
    const r = await onTerminal(c, ['attach', '-it', 'tty'], 1_000, async (t) => {
      await new Promise((res) => setTimeout(res, 1000));
      await t.write('echo attached-$((6*7))\r');
      await t.until(/attached-42/);
      await t.write('stty size\r');
      await t.until(/30 100/);
      // kubectl has no detach keys: the session is ended by killing kubectl (the container keeps running).
    });
    assert.match(r.out, /attached-42/);
  });

  for (const minor of [33, 30]) {
    it(`port-forward (kubectl 1.${minor}) with concurrent HTTP requests to a loopback-only server`, async () => {
      const port = await freePort();
      const { spawn } = await import('node:child_process');
      const pf = spawn(kubectlBinary(minor), ['--kubeconfig', c.kubeconfig, 'port-forward', 'pod/web', `${port}:8080`], { stdio: ['ignore', 'pipe', 'pipe'] });
      let log = '';
      pf.stdout!.on('data', (d) => (log += d));
      pf.stderr!.on('data', (d) => (log += d));
      try {
        await waitFor(async () => /Forwarding from 127\.0\.0\.1/.test(log), 20_000, 50);
        const small = await httpGet(port, '/index.html');
        assert.equal(small.body.toString(), 'hello-web\n');
        const all = await Promise.all([1, 2, 3, 4, 5, 6].map(() => httpGet(port, '/big')));
        const digests = new Set(all.map((r) => createHash('sha256').update(r.body).digest('hex')));
        for (const r of all) {
          assert.equal(r.status, 200);
          assert.equal(r.body.length, 3_000_000);
        }
        assert.equal(digests.size, 1, 'every download has the same bytes');
        const missing = await httpGet(port, '/nope');
        assert.equal(missing.status, 404);
      } finally {
        pf.kill('SIGTERM');
        await new Promise((r) => pf.once('exit', r));
      }
      assert.match(log, /Handling connection/);
    });
  }

  it('exec over WebSocket v5 and v4: stdin sent in text frames reaches the process', async () => {
    for (const protocol of ['v5.channel.k8s.io', 'v4.channel.k8s.io']) {
      const q = 'command=sh&command=-c&command=head%20-c%2011%3B%20echo%20END&stdin=true&stdout=true&stderr=true';
      const s = await openWS(c, `/api/v1/namespaces/default/pods/web/exec?${q}`, protocol);
      s.ws.send('\x00text-', { binary: false });
      s.ws.send(Buffer.from('\x00binary'), { binary: true });
      await Promise.race([s.closed, new Promise((r) => setTimeout(r, 15_000))]);
      assert.equal(s.channel(1), 'text-binaryEND\n', `${protocol}: stdout`);
      assert.match(s.channel(3), /"status":"Success"/, `${protocol}: exit Status`);
    }
  });

  it('port-forward over WebSocket channels (?ports=a,b): a refused port errors on its own channel, the other keeps working', async () => {
    const s = await openWS(c, '/api/v1/namespaces/default/pods/web/portforward?ports=81,8080', 'v4.channel.k8s.io');
    await waitFor(async () => /error forwarding port 81 to pod/.test(s.channel(1)), 15_000, 50);
    assert.match(s.channel(1), /connect: connection refused/);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(s.ws.readyState, WebSocket.OPEN, 'port 81 failing leaves the WebSocket open');
    s.ws.send(Buffer.concat([Buffer.from([2]), Buffer.from('GET /index.html HTTP/1.0\r\n\r\n')]));
    await waitFor(async () => s.channel(2).includes('hello-web'), 15_000, 50);
    // The server closed that connection (HTTP/1.0): every port is done now, so the WebSocket closes.
    await Promise.race([s.closed, new Promise((r) => setTimeout(r, 15_000))]);
    assert.equal(s.ws.readyState, WebSocket.CLOSED);
  });

  for (const minor of [33, 27]) {
    it(`kubectl 1.${minor} debug --target: an ephemeral container in the target's PID namespace`, async () => {
      const name = `dbg-${minor}`;
      const r = await c.kubectl(['debug', 'two', '--image=busybox:1.35', '--target=main', '-c', name, '--', 'sleep', '3599'], { minor });
      assert.equal(r.code, 0, r.stderr);
      const p = await waitPod(c, 'two', (x) => !!ephemeralStatus(x, name)?.state?.running, 60_000);
      const st = ephemeralStatus(p, name);
      assert.equal(st.ready, false);
      assert.equal(st.restartCount, 0);
      assert.match(st.containerID, /^k8ts:\/\//);
      assert.equal(p.spec.ephemeralContainers.find((e: any) => e.name === name).targetContainerName, 'main');
      assert.equal(p.status.phase, 'Running');
      assert.ok(
        p.status.conditions.some((x: any) => x.type === 'Ready' && x.status === 'True'),
        'the pod stays Ready',
      );
      // Both processes are in one PID namespace: main's `sleep 3600` is visible from the ephemeral container.
      const ps = await c.k(['exec', 'two', '-c', name, '--', 'ps', '-o', 'pid,args'], { minor });
      assert.match(ps, /^\s*1\s+sleep 3600$/m, ps);
      assert.match(ps, /sleep 3599/, ps);
    });
  }

  it('an ephemeral container that exits is not restarted; without a target it has its own PID namespace', async () => {
    await c.k(['debug', 'two', '--image=busybox:1.35', '-c', 'dbg-once', '--', 'sh', '-c', 'ps -o pid,args; exit 3']);
    const p = await waitPod(c, 'two', (x) => !!ephemeralStatus(x, 'dbg-once')?.state?.terminated, 60_000);
    assert.equal(ephemeralStatus(p, 'dbg-once').state.terminated.exitCode, 3);
    const logs = await c.k(['logs', 'two', '-c', 'dbg-once']);
    assert.doesNotMatch(logs, /sleep 3600/, 'main is not visible without --target');
    // Several syncs later (sync frequency 2 s) it is still the same terminated container.
    await new Promise((r) => setTimeout(r, 5000));
    const later = ephemeralStatus(await getPod(c, 'two'), 'dbg-once');
    assert.equal(later.restartCount, 0);
    assert.equal(later.state.terminated?.exitCode, 3, JSON.stringify(later));
    assert.equal(later.containerID, ephemeralStatus(p, 'dbg-once').containerID);
  });

  it('kubectl debug -it attaches to the new ephemeral container; kubectl attach -it reaches another one', async () => {
    const r = await onTerminal(c, ['debug', '-it', 'two', '--image=busybox:1.35', '--target=main', '-c', 'dbg-it', '--', 'sh'], 15_000, async (t) => {
      // kubectl attaches once the container runs; the shell's first prompt may have gone before that.
      await t.until(/try pressing enter/, 60_000);
      await new Promise((res) => setTimeout(res, 500));
      await t.write('echo eph-$((6*7)); ps -o pid,args | grep -c "[s]leep 3600"\r');
      await t.until(/eph-42/);
      await t.write('exit 0\r');
    });
    assert.match(r.out, /eph-42\r?\n1\r?\n/, "main's process is visible from the debug shell");
    const made = await c.kubectl(['debug', 'two', '--image=busybox:1.35', '-c', 'dbg-att', '-i', '-t', '--attach=false', '--', 'sh']);
    assert.equal(made.code, 0, made.stderr);
    await waitPod(c, 'two', (x) => !!ephemeralStatus(x, 'dbg-att')?.state?.running, 60_000);
    const a = await onTerminal(c, ['attach', '-it', 'two', '-c', 'dbg-att'], 1_000, async (t) => {
      await new Promise((res) => setTimeout(res, 1000));
      await t.write('echo attached-$((7*6))\r');
      await t.until(/attached-42/);
    });
    assert.match(a.out, /attached-42/);
  });

  it('kubectl debug --copy-to: a copy with an added container (--share-processes) and one with a changed container', async () => {
    const r = await c.kubectl(['debug', 'two', '--copy-to=two-copy', '--image=busybox:1.35', '--share-processes', '-c', 'dbgc', '--', 'sleep', '3598']);
    assert.equal(r.code, 0, r.stderr);
    const p = await waitPod(c, 'two-copy', isRunningReady, 60_000);
    assert.equal(p.spec.shareProcessNamespace, true);
    assert.deepEqual(
      p.spec.containers.map((x: any) => x.name),
      ['main', 'side', 'dbgc'],
    );
    assert.equal(p.spec.ephemeralContainers, undefined, 'the copy has no ephemeral containers');
    const ps = await c.k(['exec', 'two-copy', '-c', 'dbgc', '--', 'ps', '-o', 'args']);
    assert.match(ps, /sleep 3600/);
    const r2 = await c.kubectl(['debug', 'two', '--copy-to=two-copy2', '--container=main', '--', 'sleep', '3597']);
    assert.equal(r2.code, 0, r2.stderr);
    const p2 = await waitPod(c, 'two-copy2', isRunningReady, 60_000);
    assert.deepEqual(p2.spec.containers.find((x: any) => x.name === 'main').command, ['sleep', '3597']);
  });

  it('cp a directory tree into the pod and back, binary-safe', async () => {
    const src = join(tmp, 'src');
    mkdirSync(join(src, 'sub/deeper'), { recursive: true });
    writeFileSync(join(src, 'a.txt'), 'alpha\n');
    writeFileSync(join(src, 'sub/bin.dat'), Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 7919) % 256)));
    writeFileSync(join(src, 'sub/deeper/zero.bin'), Buffer.alloc(4096));
    const up = await c.kubectl(['cp', src, 'default/two:/tmp/tree', '-c', 'main']);
    assert.equal(up.code, 0, up.stderr);
    const sum = await c.kubectl(['exec', 'two', '-c', 'main', '--', 'sha256sum', '/tmp/tree/sub/bin.dat']);
    assert.equal(
      sum.stdout.split(' ')[0],
      createHash('sha256')
        .update(readFileSync(join(src, 'sub/bin.dat')))
        .digest('hex'),
    );
    const back = join(tmp, 'back');
    const down = await c.kubectl(['cp', 'default/two:/tmp/tree', back, '-c', 'main']);
    assert.equal(down.code, 0, down.stderr);
    assert.deepEqual(treeDigest(back), treeDigest(src));
  });
});
