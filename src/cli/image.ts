// `k8ts image load|ls|pull|rm|inspect`: manages the node's OCI image store (<data-dir>/images) from the shell,
// safely alongside a running server.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { familiarString, ImageStore, isImageError, parseImageReference, type DockerConfigJSON, type PullProgress } from '../runtime/images/index.js';

const DEFAULT_DATA_DIR = '/var/lib/k8ts';

function humanSize(n: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let i = 0;
  let v = n;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(v < 10 ? 2 : 1)}${units[i]}`;
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows
    .map((r) =>
      r
        .map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]! + 3)))
        .join('')
        .trimEnd(),
    )
    .join('\n');
}

async function run(fn: () => Promise<void> | void): Promise<void> {
  try {
    await fn();
  } catch (e) {
    const msg = isImageError(e) ? `${e.reason}: ${e.message}` : (e as Error).message;
    process.stderr.write(`error: ${msg}\n`);
    process.exitCode = 1;
  }
}

function progressPrinter(): (p: PullProgress) => void {
  const last = new Map<string, number>();
  return (p) => {
    const short = p.digest.slice(7, 19);
    if (p.phase === 'exists') process.stderr.write(`${short}: already exists\n`);
    else if (p.phase === 'complete') process.stderr.write(`${short}: done (${humanSize(p.total)})\n`);
    else {
      const pct = p.total ? Math.floor((p.done / p.total) * 10) : 0;
      if (last.get(p.digest) !== pct) {
        last.set(p.digest, pct);
        process.stderr.write(`${short}: ${humanSize(p.done)}/${humanSize(p.total)}\n`);
      }
    }
  };
}

export function registerImageCommands(program: Command): void {
  const image = program.command('image').description("manage the node's OCI images").option('--data-dir <dir>', 'data directory', DEFAULT_DATA_DIR);
  const store = (): ImageStore => new ImageStore(image.opts<{ dataDir: string }>().dataDir);

  image
    .command('load')
    .description('load images from docker-archive or OCI-layout tars')
    .argument('<tar...>', 'image archives')
    .action((tars: string[]) =>
      run(async () => {
        const s = store();
        for (const t of tars) for (const ref of await s.load(t)) process.stdout.write(`Loaded image: ${ref}\n`);
      }),
    );

  image
    .command('ls')
    .alias('list')
    .description('list images')
    .option('-q, --quiet', 'only image IDs')
    .option('--digests', 'show repo digests')
    .action((o: { quiet?: boolean; digests?: boolean }) =>
      run(() => {
        const list = store().list();
        if (o.quiet) {
          for (const i of list) process.stdout.write(`${i.id.slice(7, 20)}\n`);
          return;
        }
        const rows = [o.digests ? ['IMAGE', 'TAG', 'DIGEST', 'IMAGE ID', 'SIZE'] : ['IMAGE', 'TAG', 'IMAGE ID', 'SIZE']];
        for (const i of list) {
          const names = i.refs.length ? i.refs.map((r) => parseImageReference(r)) : [undefined];
          for (const n of names) {
            const repo = n ? n.name : (i.repoDigests[0]?.split('@')[0] ?? '<none>');
            const row = [repo, n?.tag ?? '<none>'];
            if (o.digests) row.push(i.digest.slice(7, 20));
            row.push(i.id.slice(7, 20), humanSize(i.size));
            rows.push(row);
          }
        }
        process.stdout.write(table(rows) + '\n');
      }),
    );

  image
    .command('pull')
    .description('pull an image from a registry')
    .argument('<image>')
    .option('--creds <user:password>', 'registry credentials')
    .option('--auth-file <file>', 'dockerconfigjson file ({"auths": {...}})')
    .option('--insecure-registry <host...>', 'registries to reach over plain HTTP')
    .option('-q, --quiet', 'no progress output')
    .action((ref: string, o: { creds?: string; authFile?: string; insecureRegistry?: string[]; quiet?: boolean }) =>
      run(async () => {
        const auths: DockerConfigJSON[] = [];
        if (o.authFile) auths.push(JSON.parse(readFileSync(o.authFile, 'utf8')) as DockerConfigJSON);
        if (o.creds) {
          const colon = o.creds.indexOf(':');
          const domain = parseImageReference(ref).domain;
          auths.unshift({
            auths: { [domain]: { username: o.creds.slice(0, Math.max(colon, 0) || o.creds.length), password: colon >= 0 ? o.creds.slice(colon + 1) : '' } },
          });
        }
        const img = await store().pull(ref, { auths, insecureRegistries: o.insecureRegistry, onProgress: o.quiet ? undefined : progressPrinter() });
        process.stdout.write(`Image is up to date for ${img.id}\n`);
      }),
    );

  image
    .command('rm')
    .alias('rmi')
    .description('remove images (by reference or ID)')
    .argument('<image...>')
    .action((refs: string[]) =>
      run(() => {
        const s = store();
        for (const r of refs) {
          const res = s.remove(r);
          for (const u of res.untagged) process.stdout.write(`Untagged: ${familiarString(parseImageReference(u))}\n`);
          for (const d of res.deleted) process.stdout.write(`Deleted: ${d}\n`);
        }
      }),
    );

  image
    .command('inspect')
    .description('print the stored record and config of an image as JSON')
    .argument('<image>')
    .action((ref: string) =>
      run(() => {
        const s = store();
        const img = s.resolve(ref);
        if (!img) throw new Error(`image "${ref}" not found`);
        process.stdout.write(JSON.stringify({ ...img, layerDirs: s.layersFor(img), config: s.configFile(img) }, null, 2) + '\n');
      }),
    );
}
