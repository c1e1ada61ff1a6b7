/**
 * Sends a statistic plan to Home Assistant with recorder/import_statistics, so that sending the
 * same entries again, or an overlapping later download, gives the same sums.
 *
 * The sum is the meter's counter minus one fixed offset per statistic. The offset is read back
 * from Home Assistant where it already holds the statistic (state − sum of any of its rows), and
 * is the first row's counter for a new one, whose first hour then starts at 0. So every row's sum
 * follows from the meter's own number alone: a row sent twice is replaced by the same row, a
 * later download continues without a step, and an import cut off half-way and sent again adds
 * nothing. Before the first row is sent, every statistic is checked (unit, admin rights), so a
 * refusal leaves Home Assistant as it was.
 */
import { subtractDecimals } from '../kmp/exact-decimal.ts';
import type { HaSession } from './ha-connection.ts';
import { HaError, haWords } from './ha-error.ts';
import { STATISTIC_SOURCE, type PlannedStatistic } from './statistic-plan.ts';

/** Rows per import message: well under the 4 MiB HA's WebSocket takes in one message. */
export const ROWS_PER_MESSAGE = 2000;

interface Metadata {
  statistic_id: string;
  statistics_unit_of_measurement: string | null;
}

interface HaRow {
  start: number;
  state?: number | null;
  sum?: number | null;
}

export interface SentStatistic {
  id: string;
  name: string;
  unit: string;
  rows: number;
  /** Hours HA held of it before. */
  heldBefore: number;
  first: { start: number; state: string; sum: string };
  last: { start: number; state: string; sum: string };
  /** Hours of the sent period HA holds when read back (it writes in the background). */
  heldAfter: number;
  /** HA's sum of the last sent hour when read back. */
  lastSumRead?: number;
}

export interface ImportProgress {
  sent: number;
  total: number;
}

/** A float HA sent as plain decimal text (never exponent notation). */
export function floatText(n: number): string {
  return n.toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 20 });
}

function isoHour(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', '+00:00');
}

/** The offset of an existing statistic (state − sum of its first row with both), with how many hours it holds. */
async function existing(ha: HaSession, id: string): Promise<{ offset?: string; held: number }> {
  const result = await ha.call<Record<string, HaRow[]>>({
    type: 'recorder/statistics_during_period',
    start_time: '2000-01-01T00:00:00+00:00',
    statistic_ids: [id],
    period: 'hour',
    types: ['state', 'sum'],
  });
  const rows = result[id] ?? [];
  const row = rows.find((r) => typeof r.state === 'number' && typeof r.sum === 'number');
  return { offset: row ? subtractDecimals(floatText(row.state!), floatText(row.sum!)) : undefined, held: rows.length };
}

/** Checks everything, then sends every statistic; resolves with what HA holds afterwards. */
export async function importStatistics(
  ha: HaSession,
  statistics: readonly PlannedStatistic[],
  onProgress: (p: ImportProgress) => void = () => undefined,
): Promise<SentStatistic[]> {
  if (!ha.info.isAdmin)
    throw new HaError(
      'not-admin',
      ha.info.userName
        ? haWords('ha.import.not-admin', { user: ha.info.userName })
        : haWords('ha.import.not-admin.unnamed'),
      haWords('ha.import.not-admin.advice'),
    );
  const meta = await ha.call<Metadata[]>({
    type: 'recorder/get_statistics_metadata',
    statistic_ids: statistics.map((s) => s.id),
  });
  for (const s of statistics) {
    const held = meta.find((m) => m.statistic_id === s.id)?.statistics_unit_of_measurement;
    if (held != null && held !== s.unit)
      throw new HaError(
        'unit',
        haWords('ha.import.unit', { id: s.id, held, unit: s.unit }),
        haWords('ha.import.unit.advice'),
      );
  }
  const offsets = new Map<string, { offset: string; held: number }>();
  for (const s of statistics) {
    const e = await existing(ha, s.id);
    offsets.set(s.id, { offset: e.offset ?? s.rows[0]!.state, held: e.held });
  }
  const total = statistics.reduce((n, s) => n + s.rows.length, 0);
  let sent = 0;
  onProgress({ sent, total });
  const out: SentStatistic[] = [];
  for (const s of statistics) {
    const { offset, held } = offsets.get(s.id)!;
    const rows = s.rows.map((r) => ({ start: r.start, state: r.state, sum: subtractDecimals(r.state, offset) }));
    for (let i = 0; i < rows.length; i += ROWS_PER_MESSAGE) {
      const part = rows.slice(i, i + ROWS_PER_MESSAGE);
      await ha.call({
        type: 'recorder/import_statistics',
        metadata: {
          has_mean: false,
          has_sum: true,
          name: s.name,
          source: STATISTIC_SOURCE,
          statistic_id: s.id,
          unit_of_measurement: s.unit,
        },
        stats: part.map((r) => ({ start: isoHour(r.start), state: Number(r.state), sum: Number(r.sum) })),
      });
      sent += part.length;
      onProgress({ sent, total });
    }
    out.push({
      id: s.id,
      name: s.name,
      unit: s.unit,
      rows: rows.length,
      heldBefore: held,
      first: rows[0]!,
      last: rows[rows.length - 1]!,
      heldAfter: 0,
    });
  }
  for (const o of out) {
    const result = await ha.call<Record<string, HaRow[]>>({
      type: 'recorder/statistics_during_period',
      start_time: isoHour(o.first.start),
      end_time: isoHour(o.last.start + 3_600_000),
      statistic_ids: [o.id],
      period: 'hour',
      types: ['sum'],
    });
    const rows = result[o.id] ?? [];
    o.heldAfter = rows.length;
    const last = rows.find((r) => r.start === o.last.start);
    if (typeof last?.sum === 'number') o.lastSumRead = last.sum;
  }
  return out;
}
