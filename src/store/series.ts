/**
 * The history chart's data: one line per register AND unit. A meter reconfigured from GJ to MWh
 * reports register 60 in both; joined, the line would drop from 500 to 139 under one label, so
 * values of different units are kept apart from the readings to the rollups to the series.
 */
import { lineKey } from './rollup.ts';

/** One register in one unit over the series' times; null where it has no value in that unit. */
export interface SeriesLine {
  /** `${id}/${unitCode}`: what keeps two units of one register apart. */
  key: string;
  id: number;
  unitCode: number;
  unit: string;
  values: Array<number | null>;
}

export interface Series {
  times: number[];
  /** In the order of the ids asked for; a register seen in two units has two lines. */
  lines: SeriesLine[];
  /**
   * Per register id, only its line in the unit seen last in the range (other units are left out,
   * never joined). For a chart that has not moved to `lines` yet.
   */
  columns: Map<number, Array<number | null>>;
  units: Map<number, string>;
  /** Readings in the range, before decimation. */
  total: number;
}

export interface UnitValue {
  id: number;
  unitCode: number;
  unit: string;
  value: number;
}

export { lineKey };

/** Collects points time by time, opening a line the first time a register shows up in a unit. */
export class SeriesBuilder {
  private readonly times: number[] = [];
  private readonly lines = new Map<string, SeriesLine>();
  private readonly wanted: Set<number>;

  constructor(private readonly ids: readonly number[]) {
    this.wanted = new Set(ids);
  }

  /** One point in time with whatever values it has. */
  add(t: number, values: Iterable<UnitValue>): void {
    const k = this.times.length;
    this.times.push(t);
    for (const v of values) {
      if (!this.wanted.has(v.id)) continue;
      const key = lineKey(v.id, v.unitCode);
      let line = this.lines.get(key);
      if (!line) this.lines.set(key, (line = { key, id: v.id, unitCode: v.unitCode, unit: v.unit, values: [] }));
      while (line.values.length < k) line.values.push(null);
      line.values.push(v.value);
    }
  }

  /** Two points for a bucket: the minima at its start, the maxima at its end, each unit on its own. */
  addEnvelope(first: number, last: number, envelope: Map<string, UnitValue & { max: number }>): void {
    this.add(first, envelope.values());
    this.add(
      last,
      [...envelope.values()].map((v) => ({ ...v, value: v.max })),
    );
  }

  build(total: number): Series {
    const n = this.times.length;
    const lines = [...this.lines.values()];
    for (const line of lines) while (line.values.length < n) line.values.push(null);
    // Sort is stable: within one register, units keep the order they first appeared in.
    lines.sort((a, b) => this.ids.indexOf(a.id) - this.ids.indexOf(b.id));
    const columns = new Map<number, Array<number | null>>();
    const units = new Map<number, string>();
    for (const id of this.ids) {
      let latest: SeriesLine | undefined;
      let latestAt = -1;
      for (const line of lines) {
        if (line.id !== id) continue;
        const at = line.values.findLastIndex((v) => v !== null);
        if (at > latestAt) {
          latest = line;
          latestAt = at;
        }
      }
      columns.set(id, latest ? [...latest.values] : new Array<number | null>(n).fill(null));
      if (latest) units.set(id, latest.unit);
    }
    return { times: this.times, lines, columns, units, total };
  }
}

/** Widens a per-unit envelope by one value. */
export function widen(envelope: Map<string, UnitValue & { max: number }>, v: UnitValue, max = v.value): void {
  const key = lineKey(v.id, v.unitCode);
  const have = envelope.get(key);
  if (!have) envelope.set(key, { id: v.id, unitCode: v.unitCode, unit: v.unit, value: v.value, max });
  else {
    have.value = Math.min(have.value, v.value);
    have.max = Math.max(have.max, max);
  }
}
