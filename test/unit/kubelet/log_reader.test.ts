// Reading a CRI log file as kubectl shows it: partial lines joined, timestamps, tail, since, limitBytes,
// stream selection, and follow mode ending when the container stops.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { readContainerLog, findTailStart } from '../../../src/kubelet/server/log_reader.js';
import { parseContainerLogQuery } from '../../../src/kubelet/server/log_options.js';
import { FIXTURE, withLogFile } from './log_fixture.js';

async function read(path: string, query: string, now = new Date('2024-05-01T10:00:10Z')): Promise<string> {
  const chunks: Buffer[] = [];
  await readContainerLog(path, parseContainerLogQuery(new URLSearchParams(query), now), (c) => void chunks.push(Buffer.from(c)));
  return Buffer.concat(chunks).toString('utf8');
}

const ALL = 'hello world\npart one, part two, part three\noops: something failed\nfrom a +02:00 clock\n\nlast line\n';

test('plain output joins partial records and skips garbage', async () => {
  const f = withLogFile();
  try {
    assert.equal(await read(f.path, ''), ALL);
  } finally {
    f.cleanup();
  }
});

test('timestamps prefix each line once, in RFC3339Nano', async () => {
  const f = withLogFile();
  try {
    assert.equal(
      await read(f.path, 'timestamps=true'),
      [
        '2024-05-01T10:00:00Z hello world',
        '2024-05-01T10:00:01.12Z part one, part two, part three',
        '2024-05-01T10:00:02.5Z oops: something failed',
        '2024-05-01T12:00:03.000000001+02:00 from a +02:00 clock',
        '2024-05-01T10:00:04.999999999Z ',
        '2024-05-01T10:00:05.123456789Z last line',
        '',
      ].join('\n'),
    );
  } finally {
    f.cleanup();
  }
});

test('tailLines counts file lines from the end', async () => {
  const f = withLogFile();
  try {
    assert.equal(await read(f.path, 'tailLines=0'), '');
    assert.equal(await read(f.path, 'tailLines=1'), 'last line\n');
    assert.equal(await read(f.path, 'tailLines=3'), 'from a +02:00 clock\n\nlast line\n');
    // The 7th line from the end is the middle P record: the joined line starts mid-way, as upstream.
    assert.equal(await read(f.path, 'tailLines=7'), 'part two, part three\noops: something failed\nfrom a +02:00 clock\n\nlast line\n');
    assert.equal(await read(f.path, 'tailLines=100'), ALL);
  } finally {
    f.cleanup();
  }
});

test('findTailStart across block boundaries and without a final newline', async () => {
  const line = (i: number) => `2024-05-01T10:00:00Z stdout F ${'x'.repeat(1000)} ${i}\n`;
  const body = Array.from({ length: 300 }, (_, i) => line(i)).join('');
  const f = withLogFile(body);
  try {
    const fh = await open(f.path, 'r');
    const size = (await fh.stat()).size;
    assert.equal(await findTailStart(fh, size, 2), body.length - line(298).length - line(299).length);
    assert.equal(await findTailStart(fh, size, 299), line(0).length);
    assert.equal(await findTailStart(fh, size, 300), 0);
    await fh.close();
    writeFileSync(f.path, 'a\nb\nc');
    const fh2 = await open(f.path, 'r');
    assert.equal(await findTailStart(fh2, 5, 1), 4);
    assert.equal(await findTailStart(fh2, 5, 2), 2);
    await fh2.close();
  } finally {
    f.cleanup();
  }
});

test('sinceSeconds and sinceTime drop older records', async () => {
  const f = withLogFile();
  try {
    // now = 10:00:10; 6 seconds back = 10:00:04.
    assert.equal(await read(f.path, 'sinceSeconds=6'), '\nlast line\n');
    assert.equal(await read(f.path, 'sinceTime=2024-05-01T10:00:02Z'), 'oops: something failed\nfrom a +02:00 clock\n\nlast line\n');
    assert.equal(
      await read(f.path, 'sinceTime=2024-05-01T10:00:03Z&timestamps=true'),
      '2024-05-01T12:00:03.000000001+02:00 from a +02:00 clock\n2024-05-01T10:00:04.999999999Z \n2024-05-01T10:00:05.123456789Z last line\n',
    );
  } finally {
    f.cleanup();
  }
});

test('limitBytes cuts the output at exactly N bytes, timestamps included', async () => {
  const f = withLogFile();
  try {
    assert.equal(await read(f.path, 'limitBytes=5'), 'hello');
    assert.equal(await read(f.path, 'limitBytes=15'), 'hello world\npar');
    assert.equal(await read(f.path, 'limitBytes=25&timestamps=true'), '2024-05-01T10:00:00Z hell');
    assert.equal(await read(f.path, `limitBytes=${ALL.length + 100}`), ALL);
  } finally {
    f.cleanup();
  }
});

test('stream selects stdout or stderr', async () => {
  const f = withLogFile();
  try {
    assert.equal(await read(f.path, 'stream=Stderr'), 'oops: something failed\n');
    assert.equal(await read(f.path, 'stream=Stdout'), ALL.replace('oops: something failed\n', ''));
  } finally {
    f.cleanup();
  }
});

test('a missing log file reads as empty', async () => {
  const f = withLogFile();
  try {
    assert.equal(await read(f.path + '.missing', ''), '');
  } finally {
    f.cleanup();
  }
});

test('follow streams appended records and ends after the container stops', async () => {
  const f = withLogFile('2024-05-01T10:00:00Z stdout F first\n');
  const ac = new AbortController();
  try {
    let running = true;
    const got: string[] = [];
    let notify: (() => void) | undefined;
    const done = readContainerLog(
      f.path,
      parseContainerLogQuery(new URLSearchParams('follow=true')),
      (c) => {
        got.push(c.toString());
        notify?.();
      },
      { isRunning: () => running, pollMs: 50, runningCheckMs: 50, signal: ac.signal },
    );
    const waitFor = async (text: string) => {
      const end = Date.now() + 5000;
      while (!got.join('').includes(text)) {
        if (Date.now() > end) throw new Error(`no ${JSON.stringify(text)} in ${JSON.stringify(got.join(''))}`);
        await new Promise<void>((r) => {
          notify = r;
          setTimeout(r, 50);
        });
      }
    };
    await waitFor('first\n');
    appendFileSync(f.path, '2024-05-01T10:00:01Z stdout P second ');
    appendFileSync(f.path, 'half-writ');
    await new Promise((r) => setTimeout(r, 150));
    // An incomplete record is not emitted until its newline arrives.
    assert.equal(got.join(''), 'first\n');
    appendFileSync(f.path, 'ten \n2024-05-01T10:00:01Z stdout F line\n');
    await waitFor('second half-written line\n');
    appendFileSync(f.path, '2024-05-01T10:00:02Z stdout F bye\n');
    running = false;
    await done;
    assert.equal(got.join(''), 'first\nsecond half-written line\nbye\n');
  } finally {
    ac.abort(); // on failure, do not leave the reader polling
    f.cleanup();
  }
});

test('follow ends on abort', async () => {
  const f = withLogFile(FIXTURE);
  try {
    const ac = new AbortController();
    const chunks: Buffer[] = [];
    const p = readContainerLog(f.path, parseContainerLogQuery(new URLSearchParams('follow=true&tailLines=1')), (c) => void chunks.push(c), {
      isRunning: () => true,
      signal: ac.signal,
      pollMs: 1000,
      runningCheckMs: 1000,
    });
    await new Promise((r) => setTimeout(r, 100));
    const t0 = Date.now();
    ac.abort();
    await p;
    assert.ok(Date.now() - t0 < 500, 'abort ends the follow promptly');
    assert.equal(Buffer.concat(chunks).toString(), 'last line\n');
  } finally {
    f.cleanup();
  }
});
