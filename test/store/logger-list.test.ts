/**
 * The meter's list of loggers kept with its record (MeterRecord.loggers): stored and read back,
 * merged with the rest of the record, and refused in words when a file or a bug gives nonsense.
 */
import { describe, expect, it } from 'vitest';
import { openStore } from './helpers.ts';

const list = {
  at: Date.parse('2026-12-01T10:00:00Z'),
  absent: [0],
  configs: [{ logger: 3, depth: 36, registers: [348, 60, 68], header: [1, 1, 1, 1, 0, 0, 1, 0, 1, 0] }],
};

describe('MeterRecord.loggers', () => {
  it('is kept with the meter and leaves the rest of the record as it was', async () => {
    const db = await openStore();
    await db.putMeter({ serial: 7, model: 'MULTICAL 603' });
    await db.putMeter({ serial: 7, loggers: list });
    expect(await db.getMeter(7)).toEqual({ serial: 7, model: 'MULTICAL 603', loggers: list });
  });

  it.each([
    [{ ...list, at: 'yesterday' }, /loggers\.at/],
    [{ ...list, absent: [300] }, /loggers\.absent must be a list of logger types/],
    [
      { ...list, configs: [{ ...list.configs[0], depth: -1 }] },
      /loggers\.configs\[0\]\.depth -1 is not a logger depth/,
    ],
    [{ ...list, configs: [{ ...list.configs[0], registers: [70000] }] }, /is not a register id/],
    [{ ...list, configs: [{ ...list.configs[0], header: [256] }] }, /header must be at most 16 bytes/],
  ])('refuses %j in words', async (loggers, words) => {
    const db = await openStore();
    await expect(db.putMeter({ serial: 7, loggers: loggers as never })).rejects.toThrow(words);
  });
});
