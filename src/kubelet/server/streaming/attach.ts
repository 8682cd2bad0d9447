// attach: joins conmon's attach socket (<socketDir>/<id>/attach, SOCK_SEQPACKET; output packets carry a
// 1-byte stream prefix) through a tiny Perl relay (perl-base is essential on Debian; Node cannot open
// SEQPACKET sockets) that frames each packet as [u32 length][packet] on its stdout; resizes go to
// conmon's `ctl` fifo in the bundle ("1 <height> <width>\n").
import { spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import type { RuncRuntimeService } from '../../../runtime/index.js';
import type { ProcessSession, SessionOptions } from './session.js';

// conmon's pipe numbers on attach output packets.
const STDOUT_PIPE = 2;
const STDERR_PIPE = 3;

const RELAY = String.raw`
use strict; use Socket; use IO::Select;
my ($dir, $stdin) = @ARGV;
chdir $dir or die "attach: cannot enter $dir: $!\n";
socket(my $s, AF_UNIX, SOCK_SEQPACKET, 0) or die "attach: socket: $!\n";
connect($s, pack_sockaddr_un("attach")) or die "attach: connect: $!\n";
binmode STDOUT; binmode STDIN;
my $sel = IO::Select->new($s);
$sel->add(\*STDIN) if $stdin;
sub out { my $d = shift; while (length $d) { my $n = syswrite(STDOUT, $d); exit 0 unless defined $n && $n > 0; substr($d, 0, $n) = ''; } }
while (1) {
  for my $fh ($sel->can_read) {
    if ($fh == $s) {
      my $buf = ''; my $n = sysread($s, $buf, 65536);
      exit 0 unless $n;
      out(pack('N', length $buf) . $buf);
    } else {
      my $buf = ''; my $n = sysread(STDIN, $buf, 8192);
      if (!$n) { $sel->remove(\*STDIN); shutdown($s, 1); next; }
      defined send($s, $buf, 0) or exit 0;
    }
  }
}
`;

/** Attach to the main process of container `id` (its stdin when requested, its stdout/stderr). */
export async function attachContainer(rt: RuncRuntimeService, id: string, o: SessionOptions): Promise<ProcessSession> {
  const rec = await rt.containers.getRecord(id);
  const child = spawn('perl', ['-e', RELAY, path.join(rt.layout.socketDir, id), o.stdin ? '1' : '0'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const stdout = new PassThrough();
  const stderr = o.tty ? undefined : new PassThrough();
  let errText = '';
  child.stderr!.on('data', (d: Buffer) => (errText += d.toString()));
  let buf: Buffer = Buffer.alloc(0);
  child.stdout!.on('data', (d: Buffer) => {
    buf = buf.length ? Buffer.concat([buf, d]) : d;
    while (buf.length >= 4) {
      const n = buf.readUInt32BE(0);
      if (buf.length < 4 + n) break;
      const pkt = buf.subarray(4, 4 + n);
      buf = buf.subarray(4 + n);
      if (pkt.length < 1) continue;
      const data = Buffer.from(pkt.subarray(1));
      if (pkt[0] === STDERR_PIPE && stderr) {
        if (o.stderr) stderr.write(data);
      } else if (pkt[0] === STDOUT_PIPE || pkt[0] === STDERR_PIPE) {
        if (o.stdout) stdout.write(data);
      }
    }
  });
  child.stdin!.on('error', () => {});
  const exited = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? 1)));
  const done = exited.then(async (relayCode) => {
    stdout.end();
    stderr?.end();
    if (relayCode !== 0 && errText) throw new Error(errText.trim());
    const st = await rt.containerStatus(id).catch(() => undefined);
    return st?.state === 'CONTAINER_EXITED' ? (st.exitCode ?? 0) : 0;
  });
  let resizes: Promise<void> = Promise.resolve();
  return {
    stdin: o.stdin ? child.stdin! : undefined,
    stdout,
    stderr,
    resize: (s) => {
      // In order: kubectl sends a nudge size and then the real one right after.
      resizes = resizes.then(() =>
        open(path.join(rec.bundleDir, 'ctl'), constants.O_WRONLY | constants.O_NONBLOCK)
          .then(async (fh) => {
            await fh.write(`1 ${s.height} ${s.width}\n`).finally(() => fh.close());
          })
          .catch(() => {}),
      );
    },
    wait: () => done,
    close: () => {
      if (child.exitCode === null) child.kill('SIGTERM');
    },
  };
}
