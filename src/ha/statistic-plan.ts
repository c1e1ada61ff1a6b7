/**
 * What a meter's downloaded logger entries become in Home Assistant's long-term statistics: one
 * statistic per quantity (heat energy E1, cooling energy E3, volume V1), one hourly row per entry.
 * Pure: no I/O, so the page can show the plan before anything is sent (docs/home-assistant.md).
 *
 * - An entry holds the meter's counter at its time stamp, so it closes the hour before it: the
 *   row starts one hour before the entry's instant (rounded to the hour), as Home Assistant's own
 *   hourly statistics hold the state at the end of their hour.
 * - The instant comes from register 348 (the meter's standard time plus its daylight-saving
 *   minutes) where the entry has it, else from the wall-clock time in Home Assistant's zone.
 * - For each span of time the finest logger the person downloaded is used, alone: a daily entry
 *   inside the span of the hourly entries is left out, a monthly one inside the daily span too.
 * - A counter that goes down (a replaced or reset meter) or changes unit is not sent at all, with
 *   a sentence saying where: its sums would show a false step in the Energy dashboard.
 */
import { compareDecimals } from '../kmp/exact-decimal.ts';
import { LOGGER_TYPE, loggerNameWords } from '../kmp/logger.ts';
import { REG_DATE_TIME_DST } from '../kmp/logger-time.ts';
import type { RegisterValue } from '../kmp/registers.ts';
import { isWords, type Words } from '../kmp/words.ts';
import { haWords, type HaSentence } from './ha-error.ts';
import { haUnit, inHaUnit } from './statistic-units.ts';
import { isoLocalAsUtc, standardOffsetMinutes, wallClockInstant } from './zone-time.ts';

/** A logger entry as stored (StoredLoggerEntry has this shape). */
export interface EntryLike {
  logger: number;
  id: number;
  time: string;
  values: readonly RegisterValue[];
}

export interface Quantity {
  key: 'heat_energy' | 'cooling_energy' | 'volume';
  register: number;
  /** The name in the statistic Home Assistant keeps (its English, as the other names there). */
  name: string;
  /** The name as the page says it. */
  words: HaSentence;
}

/** The quantities sent, by register: E1 (60), E3 (63), V1 (68). */
export const QUANTITIES: readonly Quantity[] = [
  { key: 'heat_energy', register: 0x3c, name: 'Heat energy E1', words: 'ha.quantity.heat-energy' },
  { key: 'cooling_energy', register: 0x3f, name: 'Cooling energy E3', words: 'ha.quantity.cooling-energy' },
  { key: 'volume', register: 0x44, name: 'Volume V1', words: 'ha.quantity.volume' },
];

/** Source of every statistic: HA requires it to be the id's part before the colon. */
export const STATISTIC_SOURCE = 'kmp_web';

/** Loggers from finest to coarsest. */
const FINEST_FIRST = [LOGGER_TYPE.hour, LOGGER_TYPE.day, LOGGER_TYPE.month, LOGGER_TYPE.year] as const;

/** The logger number rows from polled readings carry: none of the meter's loggers. */
export const READINGS_SOURCE = -1;

const HOUR = 3_600_000;

export interface PlanRow {
  /** The row's hour, ms since the epoch, on the hour. */
  start: number;
  /** The counter at the end of that hour, exact, in HA's unit. */
  state: string;
  logger: number;
  /** The entry's own time stamp, as the meter shows it. */
  time: string;
}

export interface PlanSource {
  logger: number;
  /** The logger's name ("daily"), or words for the polled readings. */
  name: string | Words;
  rows: number;
  from: string;
  to: string;
}

export interface PlannedStatistic {
  id: string;
  name: string;
  quantity: Quantity['key'];
  unit: string;
  meterUnit: string;
  /** Set when HA gets another unit than the meter's. */
  unitNote?: Words;
  rows: PlanRow[];
  sources: PlanSource[];
}

export interface StatisticPlan {
  statistics: PlannedStatistic[];
  /** Statistics that cannot be sent, each a sentence. */
  problems: Words[];
}

/** The id HA gets: lower case, digits and underscores only (HA refuses anything else). */
export function statisticId(quantity: Quantity['key'], serial: number): string {
  return `${STATISTIC_SOURCE}:${quantity}_${serial}`;
}

/** The instant an entry's time stamp names (see the module comment). */
export function entryInstant(entry: EntryLike, timeZone: string): number {
  const dt = entry.values.find((v) => v.id === REG_DATE_TIME_DST);
  if (dt?.dateTime !== undefined) {
    const raw = isoLocalAsUtc(dt.dateTime);
    return raw - standardOffsetMinutes(new Date(raw).getUTCFullYear(), timeZone) * 60_000;
  }
  return wallClockInstant(entry.time, timeZone);
}

/** The hour an entry closes: one hour before its instant, rounded to the hour. */
export function rowStart(instant: number): number {
  return Math.round(instant / HOUR) * HOUR - HOUR;
}

/** The plan for one meter's entries (any loggers, any order). */
export function planStatistics(input: {
  serial: number;
  model?: string;
  entries: readonly EntryLike[];
  timeZone: string;
}): StatisticPlan {
  const statistics: PlannedStatistic[] = [];
  const problems: Words[] = [];
  for (const q of QUANTITIES) {
    const chosen = chooseRows(q, input.entries, input.timeZone);
    if (!chosen.length) continue;
    const built = buildStatistic(q, input, chosen);
    if (isWords(built)) problems.push(built);
    else statistics.push(built);
  }
  return { statistics, problems };
}

/** One hour's counter, from a logger entry or a polled reading. */
export interface Candidate {
  start: number;
  value: RegisterValue;
  entry: { logger: number; time: string };
}

/** A statistic from rows oldest first, one per hour; or why it cannot be sent, as a sentence. */
export function buildStatistic(
  q: Quantity,
  meter: { serial: number; model?: string },
  chosen: readonly Candidate[],
): PlannedStatistic | Words {
  const meterName = meter.model ? `MULTICAL ${meter.model} ${meter.serial}` : `meter ${meter.serial}`;
  const said = {
    quantity: haWords(q.words),
    meter: meter.model ? meterName : haWords('ha.plan.meter', { serial: meter.serial }),
  };
  const problem = unitProblem(chosen, said) ?? fallProblem(chosen, said);
  if (problem) return problem;
  const meterUnit = chosen[0]!.value.unit;
  const unit = haUnit(meterUnit);
  if (!unit)
    return meterUnit ? haWords('ha.plan.unknown-unit', { ...said, unit: meterUnit }) : haWords('ha.plan.no-unit', said);
  return {
    id: statisticId(q.key, meter.serial),
    name: `${q.name} (${meterName})`,
    quantity: q.key,
    unit: unit.unit,
    meterUnit,
    ...(unit.note ? { unitNote: unit.note } : {}),
    rows: chosen.map((c) => ({
      start: c.start,
      state: inHaUnit(c.value.decimal, unit),
      logger: c.entry.logger,
      time: c.entry.time,
    })),
    sources: sources(chosen),
  };
}

/** The rows of one quantity: the finest logger for each span, oldest first, one per hour. */
function chooseRows(q: Quantity, entries: readonly EntryLike[], timeZone: string): Candidate[] {
  const spans: Array<[number, number]> = [];
  const rows = new Map<number, Candidate>();
  for (const logger of FINEST_FIRST) {
    const own: Candidate[] = [];
    for (const entry of entries) {
      if (entry.logger !== logger) continue;
      const value = entry.values.find((v) => v.id === q.register);
      if (!value) continue;
      const instant = entryInstant(entry, timeZone);
      own.push({ start: rowStart(instant), value, entry });
    }
    if (!own.length) continue;
    const starts = own.map((c) => c.start);
    const span: [number, number] = [Math.min(...starts), Math.max(...starts)];
    for (const c of own) {
      if (spans.some(([a, b]) => c.start >= a && c.start <= b)) continue;
      if (!rows.has(c.start)) rows.set(c.start, c);
    }
    spans.push(span);
  }
  return [...rows.values()].sort((a, b) => a.start - b.start);
}

/** Which statistic a problem is about, in words: the quantity and the meter. */
type Said = { quantity: Words; meter: string | Words };

function unitProblem(rows: readonly Candidate[], said: Said): Words | undefined {
  for (let i = 1; i < rows.length; i++) {
    const [a, b] = [rows[i - 1]!, rows[i]!];
    if (a.value.unit !== b.value.unit)
      return haWords('ha.plan.unit-changes', {
        ...said,
        from: a.value.unit,
        fromTime: a.entry.time.replace('T', ' '),
        to: b.value.unit,
        toTime: b.entry.time.replace('T', ' '),
      });
  }
  return undefined;
}

function fallProblem(rows: readonly Candidate[], said: Said): Words | undefined {
  for (let i = 1; i < rows.length; i++) {
    const [a, b] = [rows[i - 1]!, rows[i]!];
    if (compareDecimals(b.value.decimal, a.value.decimal) < 0)
      return haWords('ha.plan.counter-falls', {
        ...said,
        // The meter's decimals as text: every digit kept, never reformatted.
        fromValue: a.value.decimal,
        fromUnit: a.value.unit,
        fromTime: a.entry.time.replace('T', ' '),
        toValue: b.value.decimal,
        toUnit: b.value.unit,
        toTime: b.entry.time.replace('T', ' '),
      });
  }
  return undefined;
}

function sources(rows: readonly Candidate[]): PlanSource[] {
  const out = new Map<number, PlanSource>();
  for (const r of rows) {
    const s = out.get(r.entry.logger);
    if (s) {
      s.rows++;
      s.to = r.entry.time;
    } else {
      out.set(r.entry.logger, {
        logger: r.entry.logger,
        name: r.entry.logger === READINGS_SOURCE ? haWords('ha.plan.polled-readings') : loggerNameWords(r.entry.logger),
        rows: 1,
        from: r.entry.time,
        to: r.entry.time,
      });
    }
  }
  return [READINGS_SOURCE, ...FINEST_FIRST].flatMap((l) => (out.has(l) ? [out.get(l)!] : []));
}
