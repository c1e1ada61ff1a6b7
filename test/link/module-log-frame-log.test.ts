/**
 * The frame log names the 601/801 logger frames (A2 and 9B) once their reader has loaded with the
 * first download, the INFO byte in words. On its own in this file: the names are set when that
 * code loads, once per test file.
 */
import { afterEach, expect, it } from 'vitest';
import { LOGGER_TYPE, moduleLogInfoWords } from '../../src/kmp/index.ts';
import { MeterSession } from '../../src/link/index.ts';
import { createVirtualMeter } from '../../src/sim/index.ts';
import { FAST } from './helpers.ts';

const session = new MeterSession({ client: FAST });
afterEach(() => session.disconnect());

it('names the 9B and A2 requests and replies of a 601 download', async () => {
  const meter = createVirtualMeter({ frozen: true, model: '601', eventStatus: 'unread' });
  await session.connect(meter.port, { label: 'virtual', demo: true });
  await session.identify();
  session.log.clear();
  await session.readLogger(LOGGER_TYPE.month, [60], { maxRequests: 2 });
  await session.readLogger(LOGGER_TYPE.hour, [60], { maxRequests: 1, askEventStatus: true });
  const decoded = session.log
    .all()
    .filter((e) => e.kind !== 'echo')
    .map((e) => e.decoded);
  expect(decoded[0]).toBe('GetLogIdPresent request: log 3 from id 0, 1 record of 1003, 1002, 60, MaxL 128');
  expect(decoded[1]).toMatch(/^GetLogIdPresent reply: log 3, 1 record from id \d+ \(newest \d+\), no flags$/);
  expect(decoded[2]).toMatch(/^GetLogIdPresent request: log 3 from id \d+, \d+ records of 1003, 1002, 60, MaxL 128$/);
  expect(decoded[3]).toMatch(/^GetLogIdPresent reply: log 3, \d+ records from id \d+ \(newest \d+\), /);
  expect(decoded.slice(4)).toEqual([
    'GetEventStatus request: has anything new been logged?',
    'GetEventStatus reply: the interval log has records not yet read out',
  ]);
});

it('says each INFO flag in words, and any other bit as hex', () => {
  expect(moduleLogInfoWords(0)).toBe('no flags');
  expect(moduleLogInfoWords(0x01)).toBe('log empty');
  expect(moduleLogInfoWords(0x04)).toBe('out of range');
  expect(moduleLogInfoWords(0x18)).toBe('MaxL reached, end of log');
  expect(moduleLogInfoWords(0x02)).toBe('flags 0x02');
  expect(moduleLogInfoWords(0xff)).toBe('log empty, out of range, MaxL reached, end of log, flags 0xe2');
});
