import { openDB } from 'idb';
import { describe, expect, it } from 'vitest';
import { buildExport, importExport, KmpStore, meterProblem, readingProblem } from '../../src/store/index.ts';
import { freshName, openStore, reading } from './helpers.ts';

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const NOW = Date.UTC(2026, 10, 28);

/** An export of one meter with three good readings, with `patch` applied to the parsed file. */
function exportWith(patch: (file: ReturnType<typeof buildExport>) => void): string {
  const file = buildExport(
    [{ serial: 8, model: 'MULTICAL 403' }],
    [reading(8, T0), reading(8, T0 + 60_000), reading(8, T0 + 120_000)],
  );
  patch(file);
  return JSON.stringify(file);
}

describe('an import that lies is refused whole, naming the field and the reason', () => {
  it.each([
    [
      'a unit text that contradicts its unit code',
      (f: ReturnType<typeof buildExport>) => (f.readings[1]!.values[1]!.unit = 'MWh'),
      /readings\[1\]\.values\[1\]\.unit "MWh" is not the unit of unit code 37 \(°C\)/,
    ],
    [
      'a meter model that is not text',
      (f: ReturnType<typeof buildExport>) => ((f.meters[0] as { model: unknown }).model = { a: 1 }),
      /meters\[0\]\.model must be text, not a group/,
    ],
    [
      'a reading time beyond the Date range',
      (f: ReturnType<typeof buildExport>) => (f.readings[2]!.takenAt = 1e300),
      /readings\[2\]\.takenAt 1e\+300 is not a time between 2000-01-01 and a day from now/,
    ],
    [
      'a scan time beyond the Date range',
      (f: ReturnType<typeof buildExport>) =>
        (f.meters[0]!.lastScan = { at: 9e15, supported: reading(8, T0).values, unsupported: [] }),
      /meters\[0\]\.lastScan\.at 9000000000000000 is not a time/,
    ],
    [
      'a reading from before 2000',
      (f: ReturnType<typeof buildExport>) => (f.readings[0]!.takenAt = Date.UTC(1999, 11, 31)),
      /readings\[0\]\.takenAt .* is not a time between 2000-01-01/,
    ],
    [
      'a reading a week in the future',
      (f: ReturnType<typeof buildExport>) => (f.readings[0]!.takenAt = Date.now() + 7 * 86_400_000),
      /readings\[0\]\.takenAt .* is not a time/,
    ],
    [
      'a time that is not a whole millisecond',
      (f: ReturnType<typeof buildExport>) => (f.readings[0]!.takenAt = T0 + 0.5),
      /readings\[0\]\.takenAt .* whole milliseconds/,
    ],
    [
      'a decimal text that does not match its value',
      (f: ReturnType<typeof buildExport>) => (f.readings[0]!.values[0]!.decimal = '55.007'),
      /readings\[0\]\.values\[0\]\.decimal "55\.007" does not match the value 55\.006/,
    ],
    [
      'a label of a megabyte',
      (f: ReturnType<typeof buildExport>) => (f.meters[0]!.label = 'x'.repeat(1_000_000)),
      /meters\[0\]\.label is longer than 200 characters/,
    ],
    [
      'a last reading of another meter',
      (f: ReturnType<typeof buildExport>) => (f.meters[0]!.lastReading = reading(9, T0)),
      /meters\[0\]\.lastReading\.serial 9 is not the meter's serial 8/,
    ],
    [
      'a serial number beyond 32 bits',
      (f: ReturnType<typeof buildExport>) => (f.readings[0]!.serial = 2 ** 40),
      /readings\[0\]\.serial .* is not a meter serial number/,
    ],
    [
      'a register list that is not ids',
      (f: ReturnType<typeof buildExport>) => (f.meters[0]!.supportedRegisters = [60, 1.5]),
      /meters\[0\]\.supportedRegisters\[1\] 1\.5 is not a register id/,
    ],
  ])('%s', async (_name, patch, message) => {
    const store = await openStore();
    await store.saveReading(reading(8, T0 - 60_000));
    await store.putMeter({ serial: 8, model: 'MULTICAL 403' });
    const err = await importExport(store, exportWith(patch)).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'invalid' });
    expect((err as Error).message).toMatch(message);
    // Nothing changed: the one reading and the meter as they were.
    expect(await store.countReadings(8)).toBe(1);
    expect(await store.listMeters()).toMatchObject([{ serial: 8, model: 'MULTICAL 403' }]);
  });

  it('keeps only the fields it knows, so nothing unchecked reaches the database', async () => {
    const store = await openStore();
    const text = exportWith((f) => {
      (f.meters[0] as unknown as Record<string, unknown>).junk = 'x';
      (f.readings[0]!.values[0] as unknown as Record<string, unknown>).junk = 'y';
    });
    await importExport(store, text);
    expect(await store.getMeter(8)).not.toHaveProperty('junk');
    expect((await store.readings(8))[0]!.values[0]).not.toHaveProperty('junk');
  });
});

describe('the same rules for what the app saves itself', () => {
  it('refuses a reading whose unit text contradicts its unit code', async () => {
    const store = await openStore();
    const bad = { ...reading(8, T0), values: [{ id: 86, unitCode: 37, unit: 'MWh', value: 53.65, decimal: '53.65' }] };
    await expect(store.saveReading(bad)).rejects.toMatchObject({ kind: 'invalid' });
    expect(readingProblem(bad)).toMatch(/values\[0\]\.unit "MWh" is not the unit of unit code 37/);
    expect(await store.countReadings(8)).toBe(0);
  });

  it('refuses a meter record with a time beyond the Date range', async () => {
    const store = await openStore();
    const bad = { serial: 8, lastSeen: 9e15 };
    expect(meterProblem(bad, NOW)).toMatch(/lastSeen/);
    await expect(store.putMeter(bad)).rejects.toMatchObject({ kind: 'invalid' });
    expect(await store.getMeter(8)).toBeUndefined();
  });
});

describe('forgetting a meter', () => {
  it('removes readings stored with absurd times before these checks existed', async () => {
    const name = freshName();
    const store = await KmpStore.open({ name });
    await store.saveReading(reading(8, T0));
    store.close();
    const raw = await openDB(name);
    await raw.put('readingHours', { serial: 8, hour: 1e300, readings: [{ ...reading(8, T0), takenAt: 1e300 }] });
    await raw.put('meters', { serial: 8, lastScan: { at: 9e15, supported: [], unsupported: [] } });
    raw.close();
    const again = await KmpStore.open({ name });
    await again.clearMeter(8);
    const left = await openDB(name);
    expect((await left.getAll('readingHours')).filter((r: { serial: number }) => r.serial === 8)).toEqual([]);
    expect(await left.getAll('hourly')).toEqual([]);
    left.close();
  });
});
