// CronJob schedules: standard fields, macros, time zones (with DST), and the errors robfig/cron gives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hasInlineTimeZone, parseSchedule, standardExpression, timeZoneError } from '../../../src/api/batch/v1/cron.js';

const at = (s: string) => new Date(s);
const next = (schedule: string, from: string, tz?: string) => parseSchedule(schedule, tz).next(at(from))?.toISOString();

test('every minute fires on the next whole minute, strictly after', () => {
  assert.equal(next('* * * * *', '2026-01-01T00:00:00Z'), '2026-01-01T00:01:00.000Z');
  assert.equal(next('* * * * *', '2026-01-01T00:00:59.999Z'), '2026-01-01T00:01:00.000Z');
  assert.equal(next('*/15 * * * *', '2026-01-01T00:16:00Z'), '2026-01-01T00:30:00.000Z');
});

test('macros stand for their 5-field expressions', () => {
  assert.deepEqual(standardExpression('@hourly'), { expr: '0 * * * *' });
  assert.deepEqual(standardExpression('@daily'), { expr: '0 0 * * *' });
  assert.deepEqual(standardExpression('@midnight'), { expr: '0 0 * * *' });
  assert.deepEqual(standardExpression('@weekly'), { expr: '0 0 * * 0' });
  assert.deepEqual(standardExpression('@monthly'), { expr: '0 0 1 * *' });
  assert.deepEqual(standardExpression('@yearly'), { expr: '0 0 1 1 *' });
  assert.deepEqual(standardExpression('@annually'), { expr: '0 0 1 1 *' });
  assert.equal(next('@hourly', '2026-01-01T10:30:00Z'), '2026-01-01T11:00:00.000Z');
  assert.equal(next('@weekly', '2026-01-01T10:30:00Z'), '2026-01-04T00:00:00.000Z'); // a Sunday
  assert.equal(next('@yearly', '2026-03-01T00:00:00Z'), '2027-01-01T00:00:00.000Z');
});

test('names of months and days, ranges and steps', () => {
  assert.equal(next('0 12 * JAN MON', '2026-12-01T00:00:00Z'), '2027-01-04T12:00:00.000Z');
  assert.equal(next('30 8 1-3 * *', '2026-05-02T09:00:00Z'), '2026-05-03T08:30:00.000Z');
});

test('a time zone moves the schedule, daylight saving time included', () => {
  // 09:00 in New York: UTC-5 in winter, UTC-4 from 8 March 2026
  assert.equal(next('0 9 * * *', '2026-03-06T20:00:00Z', 'America/New_York'), '2026-03-07T14:00:00.000Z');
  assert.equal(next('0 9 * * *', '2026-03-07T20:00:00Z', 'America/New_York'), '2026-03-08T13:00:00.000Z');
  assert.equal(next('0 0 * * *', '2026-06-01T12:00:00Z', 'Asia/Tokyo'), '2026-06-01T15:00:00.000Z');
});

test('invalid schedules are refused with a reason', () => {
  const err = (s: string) => {
    const r = standardExpression(s);
    return 'error' in r ? r.error : undefined;
  };
  assert.equal(err('61 * * * *'), 'end of range (61) above maximum (59): 61');
  assert.equal(err('* * * *'), 'expected exactly 5 fields, found 4: * * * *');
  assert.equal(err('0 * * * * *'), 'expected exactly 5 fields, found 6: 0 * * * * *');
  assert.equal(err('@every-day'), 'unrecognized descriptor: @every-day');
  assert.equal(err('* * * * 7'), 'end of range (7) above maximum (6): 7');
  assert.equal(err('5-1 * * * *'), 'beginning of range (5) beyond end of range (1): 5-1');
  assert.equal(err('*/0 * * * *'), 'step of range should be a positive number: */0');
  assert.match(err('L * * * *') ?? '', /failed to parse int from L/);
  assert.equal(err(''), 'empty spec string');
  assert.throws(() => parseSchedule('bogus'), /expected exactly 5 fields/);
});

test('inline TZ and time zone names', () => {
  assert.ok(hasInlineTimeZone('TZ=UTC 0 * * * *'));
  assert.ok(hasInlineTimeZone('CRON_TZ=Europe/Paris 0 * * * *'));
  assert.ok(!hasInlineTimeZone('0 * * * *'));
  assert.equal(timeZoneError('Europe/Berlin'), undefined);
  assert.equal(timeZoneError('Etc/UTC'), undefined);
  assert.equal(timeZoneError('Mars/Olympus'), 'unknown time zone Mars/Olympus');
  assert.match(timeZoneError('Local') ?? '', /explicit time zone/);
});
