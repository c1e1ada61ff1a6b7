/**
 * A year of hourly logger entries (8,760 per quantity) into Home Assistant's statistics: planned
 * (src/ha/statistic-plan.ts) and sent with recorder/import_statistics through Home Assistant's
 * own client to the WebSocket double on loopback (test/support/ha-ws-double.ts), then read back.
 * Loopback and the double's instant writes leave out the network and HA's recorder: this is what
 * the app itself costs.
 */
import { performance } from 'node:perf_hooks';
import { WebSocket } from 'ws';
import { LOGGER_TYPE, type RegisterValue } from '../../src/kmp/index.ts';
import { openHa } from '../../src/ha/ha-connection.ts';
import { planStatistics, type EntryLike } from '../../src/ha/statistic-plan.ts';
import { importStatistics, ROWS_PER_MESSAGE } from '../../src/ha/statistics-import.ts';
import { HaWsDouble } from '../../test/support/ha-ws-double.ts';

const HOURS = 8760;

function yearOfHours(): EntryLike[] {
  const start = Date.UTC(2025, 0, 1, 0);
  return Array.from({ length: HOURS }, (_, i) => {
    const raw = new Date(start + i * 3_600_000).toISOString().slice(0, 19);
    const gj = (1000 + i * 0.012).toFixed(3);
    const m3 = (20000 + i * 0.15).toFixed(2);
    const values: RegisterValue[] = [
      { id: 348, unitCode: 79, unit: '', value: 0, decimal: '0', dateTime: raw, dstMinutes: 0 },
      { id: 60, unitCode: 8, unit: 'GJ', value: Number(gj), decimal: gj },
      { id: 68, unitCode: 41, unit: 'm³', value: Number(m3), decimal: m3 },
    ];
    return { logger: LOGGER_TYPE.hour, id: i + 1, time: raw, values };
  });
}

export async function benchHaImport(): Promise<string[]> {
  (globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket;
  const ha = new HaWsDouble({ tokens: { bench: { admin: true } }, timeZone: 'UTC' });
  const url = await ha.start();
  try {
    const entries = yearOfHours();
    const t0 = performance.now();
    const plan = planStatistics({ serial: 1, model: '603', entries, timeZone: 'UTC' });
    const planned = performance.now() - t0;
    const session = await openHa(url, 'bench');
    const t1 = performance.now();
    const sent = await importStatistics(session, plan.statistics);
    const imported = performance.now() - t1;
    session.close();
    const rows = sent.reduce((n, s) => n + s.rows, 0);
    const messages = ha.received.filter((m) => m.type === 'recorder/import_statistics').length;
    const heldOk = sent.every((s) => s.heldAfter === HOURS);
    return [
      `${HOURS} hourly entries × ${plan.statistics.length} statistics (heat energy, volume): plan ${planned.toFixed(0)} ms`,
      `import ${rows} rows in ${messages} messages of at most ${ROWS_PER_MESSAGE} rows: ${imported.toFixed(0)} ms (${Math.round(rows / (imported / 1000))} rows/s, read back included); one year of one statistic ≈ ${(imported / plan.statistics.length).toFixed(0)} ms`,
      `read back: ${heldOk ? `all ${HOURS} hours of each statistic held` : 'MISSING HOURS'}`,
    ];
  } finally {
    await ha.stop();
  }
}
