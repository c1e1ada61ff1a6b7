import {
  LOGGER_TYPE,
  dateTimeDstDecimal,
  decodeKmpNumber,
  encodeKmpNumber,
  type RegisterBlockSpec,
} from '../kmp/index.ts';
import { DAY_MS, PERIODS, dstMinutesAt, fromWall, toWall, wallIso, type PeriodName } from './meter-clock.ts';
import type { MeterModel, MeterState, Snapshot } from './meter-state.ts';

/** One logger of the virtual meter: what it records, how many entries it keeps, when it writes one. */
export interface LoggerSpec {
  type: number;
  depth: number;
  registers: readonly number[];
  /** A periodic logger writes an entry at the start of every period; the info logger at every info-code change; none: never (empty). */
  period: PeriodName | 'info-change' | 'none';
}

/** An entry as the virtual meter holds it: its id, wall-clock time and register values. */
export interface SimLoggerEntry {
  id: number;
  /** ISO 8601 local, as the meter's display shows it. */
  time: string;
  values: Array<RegisterBlockSpec & { length: number }>;
}

/** The yearly logger of the MULTICAL 603 in docs/loggers.md#captures, register for register. */
const YEAR_603 = [
  60, 63, 97, 110, 64, 65, 362, 68, 84, 85, 369, 99, 123, 383, 124, 125, 384, 126, 127, 385, 128, 129, 386, 130, 1004,
  175, 94, 61, 62, 95, 96, 473, 474, 69, 224, 225, 72, 73, 515, 338, 348, 1003, 1002,
];
/** What the public reader found worth reading from the yearly and monthly loggers, for the smaller 403. */
const YEAR_403 = [348, 60, 68, 97, 110, 1004, 175, 99, 369, 123, 124, 125, 126, 127, 128, 129, 130, 1003, 1002];
const DAY = [348, 60, 68, 86, 87, 74, 80, 99, 369, 379, 380, 338, 1003, 1002];
const HOUR = [348, 60, 68, 86, 87, 74, 80, 99, 1003, 1002];
const INFO = [348, 99, 60, 68, 1003, 1002];
const MINUTE = [348, 60, 68, 1003, 1002];

/**
 * The loggers of the 403 and 603 (docs/loggers.md: 20 years, 36 months, about 460 days, a few weeks of
 * hours, 50–250 info-code changes). Minute and firmware loggers exist but are empty, as captured.
 */
/** What the 601's logger module and the 801's logger record: no 348 (older generation), so 1003 and 1002 stamp each record. */
const MODULE_RECORD = [1003, 1002, 60, 68, 86, 87, 74, 80, 99, 1004];

/** The 601/801 logs (src/sim/module-log-protocol.ts); depths are this simulation's choice. */
const MODULE_LOG_SPECS: readonly LoggerSpec[] = [
  { type: LOGGER_TYPE.year, depth: 15, registers: MODULE_RECORD, period: 'year' },
  { type: LOGGER_TYPE.month, depth: 36, registers: MODULE_RECORD, period: 'month' },
  { type: LOGGER_TYPE.day, depth: 460, registers: MODULE_RECORD, period: 'day' },
  { type: LOGGER_TYPE.hour, depth: 1392, registers: MODULE_RECORD, period: 'hour' },
];

const LOGGERS: Partial<Record<MeterModel, readonly LoggerSpec[]>> = {
  '601': MODULE_LOG_SPECS,
  '801': MODULE_LOG_SPECS,
  '603': [
    { type: LOGGER_TYPE.info, depth: 250, registers: INFO, period: 'info-change' },
    { type: LOGGER_TYPE.year, depth: 20, registers: YEAR_603, period: 'year' },
    { type: LOGGER_TYPE.month, depth: 36, registers: YEAR_603, period: 'month' },
    { type: LOGGER_TYPE.day, depth: 460, registers: DAY, period: 'day' },
    { type: LOGGER_TYPE.hour, depth: 1080, registers: HOUR, period: 'hour' },
    { type: LOGGER_TYPE.minute1, depth: 1440, registers: MINUTE, period: 'none' },
    { type: LOGGER_TYPE.minute2, depth: 1440, registers: MINUTE, period: 'none' },
  ],
  '403': [
    { type: LOGGER_TYPE.info, depth: 50, registers: INFO, period: 'info-change' },
    { type: LOGGER_TYPE.year, depth: 15, registers: YEAR_403, period: 'year' },
    { type: LOGGER_TYPE.month, depth: 36, registers: YEAR_403, period: 'month' },
    { type: LOGGER_TYPE.day, depth: 460, registers: DAY, period: 'day' },
    { type: LOGGER_TYPE.hour, depth: 1080, registers: HOUR, period: 'hour' },
  ],
};

type ValueDef = { unit: number; length: number; value: (s: Snapshot, wall: number) => string };

/** The meter's id range of a logger: `newest` 0 when it holds nothing. */
export interface LoggerRange {
  oldest: number;
  newest: number;
}

/**
 * The virtual meter's loggers, computed from its state on demand: entries are the meter's own
 * quantities at the period start (or the info-code change), so they agree with each other and
 * with the live registers. Nothing is stored but the info-code history the state keeps.
 */
export class MeterLoggers {
  readonly specs: readonly LoggerSpec[];

  constructor(private readonly state: MeterState) {
    this.specs = LOGGERS[state.model] ?? [];
  }

  spec(type: number): LoggerSpec | undefined {
    return this.specs.find((s) => s.type === type);
  }

  /** Ids held now: from 1 upwards, the newest highest, at most `depth` of them. */
  range(spec: LoggerSpec, nowHost: number): LoggerRange {
    const newest = this.newestId(spec, nowHost);
    return { oldest: newest === 0 ? 0 : Math.max(1, newest - spec.depth + 1), newest };
  }

  private newestId(spec: LoggerSpec, nowHost: number): number {
    if (spec.period === 'none') return 0;
    if (spec.period === 'info-change') return this.state.infoEvents.filter((e) => e.at <= nowHost).length;
    const p = PERIODS[spec.period];
    // The first entry is written at the first period start after installation.
    const first = p.index(toWall(this.state.installedAt)) + 1;
    return Math.max(0, p.index(toWall(nowHost)) - first + 1);
  }

  /** Host time at which entry `id` was written. */
  private entryHostTime(spec: LoggerSpec, id: number): number {
    if (spec.period === 'info-change') return this.state.infoEvents[id - 1]!.at;
    if (spec.period === 'none') throw new RangeError('an empty logger has no entries');
    const p = PERIODS[spec.period];
    return fromWall(p.start(p.index(toWall(this.state.installedAt)) + id));
  }

  /** Entry `id` with the values of `registers` this logger records (others left out), in their order. */
  entry(spec: LoggerSpec, id: number, registers: readonly number[]): SimLoggerEntry {
    const host = this.entryHostTime(spec, id);
    const wall = toWall(host);
    const snapshot = this.state.snapshotAt(host);
    const values = registers.flatMap((r) => {
      const def = spec.registers.includes(r) ? this.valueDef(r) : undefined;
      return def
        ? [{ id: r, unitCode: def.unit, length: def.length, decimal: canonical(def.value(snapshot, wall), def.length) }]
        : [];
    });
    return { id, time: wallIso(wall), values };
  }

  /** The placeholder row of an empty logger: every recorded register at zero. */
  placeholder(spec: LoggerSpec, registers: readonly number[]): SimLoggerEntry['values'] {
    return registers.flatMap((r) => {
      const def = spec.registers.includes(r) ? this.valueDef(r) : undefined;
      return def ? [{ id: r, unitCode: def.unit, length: def.length, decimal: '0' }] : [];
    });
  }

  /** Every entry held now, newest first: what a complete download must give. */
  entries(type: number, registers?: readonly number[], nowHost = Date.now()): SimLoggerEntry[] {
    const spec = this.spec(type);
    if (!spec) return [];
    const { oldest, newest } = this.range(spec, nowHost);
    const out: SimLoggerEntry[] = [];
    for (let id = newest; id >= oldest && id > 0; id--) out.push(this.entry(spec, id, registers ?? spec.registers));
    return out;
  }

  /** How a register's value is written in an entry: the live register's where the meter has one. */
  private valueDef(id: number): ValueDef | undefined {
    const live = this.state.def(id);
    if (live) return { unit: live.unit, length: live.length, value: (s) => live.value(s) };
    return this.loggerOnly(id);
  }

  private loggerOnly(id: number): ValueDef | undefined {
    const energy = this.state.def(60)!;
    const scaled = (factor: number): ValueDef => ({
      unit: energy.unit,
      length: 4,
      value: (s) => scaleDecimal(energy.value(s), factor),
    });
    switch (id) {
      case 348:
        return {
          unit: 79,
          length: 7,
          value: (_s, wall) => {
            const dst = dstMinutesAt(wall);
            return dateTimeDstDecimal({ dateTime: wallIso(wall - dst * 60_000), dstMinutes: dst });
          },
        };
      case 61: // E4, flow energy
        return scaled(1.6);
      case 62: // E5, return energy
        return scaled(0.6);
      case 64: // TA2
        return scaled(0.1);
      case 65:
      case 94:
      case 95:
      case 96:
        return scaled(0);
      case 379: // average T1 and T2 of the day
      case 380:
        return {
          unit: 37,
          length: 4,
          value: (s) => (id === 379 ? s.t1 : s.t2).toFixed(2),
        };
      case 175: // error hours: none
        return { unit: 46, length: 4, value: () => '0' };
      case 369: // days since the logger was cleared, as a plain count
        return {
          unit: 0,
          length: 4,
          value: (_s, wall) => String(Math.max(0, Math.floor((wall - toWall(this.state.installedAt)) / DAY_MS))),
        };
      case 84: // pulse inputs A and B, not connected
      case 85:
      case 362:
      case 383:
      case 384:
      case 385:
      case 386:
      case 473:
      case 474:
      case 224:
      case 225:
      case 515:
      case 338:
        return { unit: 0, length: 4, value: () => '0' };
      default:
        return undefined;
    }
  }
}

/** `decimal` × `factor`, to as many places as `decimal` has: monotonic in `decimal`. */
function scaleDecimal(decimal: string, factor: number): string {
  const places = decimal.split('.')[1]?.length ?? 0;
  return (Number(decimal) * factor).toFixed(places);
}

/** The decimal text a client decodes from the value's bytes ("4700" for the hh:mm:ss text "04700"). */
function canonical(decimal: string, length: number): string {
  const { siex, mantissa } = encodeKmpNumber(decimal, length);
  return decodeKmpNumber(siex, mantissa).decimal;
}
