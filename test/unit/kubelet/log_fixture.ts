// A CRI-format container log as conmon writes it (k8s-file driver), written to a temp file for the log tests.
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Eight records: a full line, a line split over three P records, stderr between, a local-offset timestamp,
 * an empty line, and a non-CRI garbage line the reader must skip.
 */
export const FIXTURE =
  [
    '2024-05-01T10:00:00.000000000+00:00 stdout F hello world',
    '2024-05-01T10:00:01.120000000+00:00 stdout P part one, ',
    '2024-05-01T10:00:01.130000000+00:00 stdout P part two, ',
    '2024-05-01T10:00:01.140000000+00:00 stdout F part three',
    '2024-05-01T10:00:02.500000000+00:00 stderr F oops: something failed',
    'this is not a CRI record',
    '2024-05-01T12:00:03.000000001+02:00 stdout F from a +02:00 clock',
    '2024-05-01T10:00:04.999999999Z stdout F ',
    '2024-05-01T10:00:05.123456789+00:00 stdout F last line',
  ].join('\n') + '\n';

export function withLogFile(content: string = FIXTURE): { path: string; dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-logtest-'));
  const path = join(dir, '0.log');
  writeFileSync(path, content);
  return { path, dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
