// Entry point of the spawner helper process (see spawner.ts): reads JSON-line requests on stdin, runs the
// command (or launches conmon) in this small process, answers on stdout; exits when stdin closes.
import { runCommandLocal, startDetachedLocal } from './command.js';
import { startConmonLocal, type ConmonOptions } from './conmon.js';

let buf = '';
let open = 0;
let ended = false;

function reply(id: number, body: { ok?: unknown; error?: string; code?: string }): void {
  process.stdout.write(`${JSON.stringify({ id, ...body })}\n`);
}

async function handle(line: string): Promise<void> {
  let req: { id: number; op: string; [k: string]: unknown };
  try {
    req = JSON.parse(line) as typeof req;
  } catch {
    return;
  }
  open++;
  try {
    if (req.op === 'run') {
      const input = req.inputBase64 !== undefined ? Buffer.from(String(req.inputBase64), 'base64') : (req.input as string | undefined);
      const r = await runCommandLocal(String(req.file), req.args as string[], {
        env: req.env as NodeJS.ProcessEnv | undefined,
        input,
        timeoutMs: req.timeoutMs as number | undefined,
        cwd: req.cwd as string | undefined,
        killPidFileOnTimeout: req.killPidFileOnTimeout as string | undefined,
      });
      reply(req.id, { ok: r });
    } else if (req.op === 'detach') {
      reply(req.id, { ok: await startDetachedLocal(String(req.file), req.args as string[], String(req.logPath)) });
    } else if (req.op === 'conmon') {
      reply(req.id, { ok: await startConmonLocal(req.options as ConmonOptions) });
    } else {
      reply(req.id, { error: `unknown op ${req.op}` });
    }
  } catch (e) {
    reply(req.id, { error: (e as Error).message ?? String(e), code: (e as NodeJS.ErrnoException).code });
  } finally {
    open--;
    if (ended && open === 0) process.exit(0);
  }
}

process.stdin.setEncoding('utf8');
process.stdin.on('data', (d: string) => {
  buf += d;
  let i;
  while ((i = buf.indexOf('\n')) >= 0) {
    const line = buf.slice(0, i);
    buf = buf.slice(i + 1);
    void handle(line);
  }
});
process.stdin.on('end', () => {
  ended = true;
  if (open === 0) process.exit(0);
});
process.stdout.on('error', () => process.exit(0));
