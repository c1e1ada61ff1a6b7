/**
 * A download that meets an entry no meter can hold (an intact frame from a faulty meter) keeps
 * going: the store refuses such an entry (src/store/validate.ts), so downloadLoggerAndKeep
 * (src/app/meter-operations.ts) leaves it out, stores the rest and says which entry and why.
 */
import { expect, it } from 'vitest';
import type { RegisterValue } from '../../src/kmp/index.ts';
import type { LoggerEntry, LoggerReadOptions, LoggerReadResult } from '../../src/link/index.ts';
import { downloadLoggerAndKeep } from '../../src/app/meter-operations.ts';
import { openStore } from '../store/helpers.ts';

const SERIAL = 6_012_345;
const day = (n: number) => `2026-03-${String(n).padStart(2, '0')}`;
const entry = (id: number, gj: string): LoggerEntry => ({
  logger: 4,
  id,
  time: `${day(id)}T00:00:00`,
  values: [
    { id: 1003, unitCode: 48, unit: 'yy:mm:dd', value: 260300 + id, decimal: String(260300 + id) },
    { id: 1002, unitCode: 47, unit: 'hh:mm:ss', value: 0, decimal: '0' },
    { id: 60, unitCode: 8, unit: 'GJ', value: Number(gj), decimal: gj },
  ] as RegisterValue[],
});

it('stores the good entries of a page and names the one left out, instead of refusing the page', async () => {
  const db = await openStore();
  const pages = [
    [entry(5, '12.5'), entry(4, '200000000'), entry(3, '12.1')],
    [entry(2, '12.0'), entry(1, '11.9')],
  ];
  const session = {
    identity: { serial: SERIAL },
    readLogger: async (_l: number, _r: readonly number[], o: LoggerReadOptions = {}): Promise<LoggerReadResult> => {
      for (const p of pages) await o.onEntries?.(p);
      return {
        logger: 4,
        config: { logger: 4, depth: 5, registers: [1003, 1002, 60], header: [] },
        registers: [1003, 1002, 60],
        unsupported: [],
        entries: pages.flat(),
        newestId: 5,
        oldestId: 1,
        requests: 3,
        rowsPerReply: undefined,
        complete: true,
      };
    },
  } as unknown as Parameters<typeof downloadLoggerAndKeep>[0];
  const out = await downloadLoggerAndKeep(session, Promise.resolve(db), 4, [60]);
  expect((await db.loggerEntries(SERIAL, 4)).map((e) => e.id).sort()).toEqual([1, 2, 3, 5]);
  expect(out.entries.map((e) => e.id)).toEqual([5, 3, 2, 1]);
  expect(out.implausible).toEqual([{ id: 4, why: expect.stringMatching(/^Heat energy E1 reads 200000000 GJ/) }]);
  db.close();
});
