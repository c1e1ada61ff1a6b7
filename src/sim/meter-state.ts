import type { RegisterBlockSpec } from '../kmp/index.ts';
import { createPrng } from './prng.ts';

/** 601 and 801: the older generation whose loggers answer A0–A3 on 0x7F (docs/loggers.md). */
export type MeterModel = '402' | '403' | '603' | '601' | '801';
export type EnergyUnit = 'GJ' | 'MWh' | 'kWh';

const ENERGY: Record<EnergyUnit, { code: number; perKwh: number; decimals: number }> = {
  GJ: { code: 8, perKwh: 0.0036, decimals: 3 },
  MWh: { code: 3, perKwh: 0.001, decimals: 3 },
  kWh: { code: 2, perKwh: 1, decimals: 0 },
};

// Unit codes used below (KMP unit table).
const U = {
  Wh: 1,
  l: 39,
  m3: 40,
  lh: 41,
  C: 37,
  K: 38,
  kW: 22,
  h: 46,
  hhmmss: 47,
  yymmdd: 48,
  number: 51,
  m3C: 43,
  ton: 44,
} as const;

/** Info-code bits that change readings (the same on 402, 403 and 603). */
const INFO = { t1Above: 0x08, t2Above: 0x10, t1Below: 0x20, t2Below: 0x40, v1Air: 0x100, v1Reverse: 0x200 } as const;

/** Water: 1.163 kWh per m³ and kelvin. */
const KWH_PER_M3K = 1.163;

export interface Snapshot {
  hours: number; // since the meter was created (0 when frozen, negative in its history)
  flowLh: number;
  t1: number;
  t2: number;
  powerKw: number;
  volumeM3: number;
  energyKwh: number;
  now: Date;
  /** The info code in effect at `now`. */
  infoCode: number;
}

/** An info-code change, as the info logger records it. */
export interface InfoEvent {
  /** Host time, ms since the epoch. */
  at: number;
  code: number;
}

export interface MeterHistoryOptions {
  /** When the meter was installed (its loggers start after it). Default: as long ago as its hour counter says. */
  installedAt?: number;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const YEAR_DAYS = 365.2425;
/** Info codes the history gets now and then: the usual transient ones (leak, air, sensor, supply). */
const PAST_INFO_CODES = [0x04, 0x100, 0x08, 0x400, 0x800, 0x02] as const;

export type Def = { id: number; unit: number; length: number; value: (s: Snapshot) => string };

const fixed = (n: number, d: number) => n.toFixed(d);
const yymmdd = (d: Date) =>
  `${String(d.getFullYear() % 100).padStart(2, '0')}${String(d.getMonth() + 1).padStart(2, '0')}${String(d.getDate()).padStart(2, '0')}`.replace(
    /^0+(?=\d)/,
    '',
  );
const hhmmss = (d: Date) =>
  `${d.getHours()}${String(d.getMinutes()).padStart(2, '0')}${String(d.getSeconds()).padStart(2, '0')}`;
const firstOfMonth = (d: Date) => new Date(d.getFullYear(), d.getMonth(), 1);
const firstOfYear = (d: Date) => new Date(d.getFullYear(), 0, 2);

/**
 * The values a virtual MULTICAL holds, evolving smoothly with time: flow and temperatures drift
 * on slow sine waves, power follows flow × ΔT, volume and energy are their exact integrals, so
 * totals never go backwards and every reading is consistent with the last.
 */
export class MeterState {
  private readonly base: {
    flow: number;
    swing: number;
    dT: number;
    t1: number;
    phase: number;
    volume: number;
    energyKwh: number;
    hours: number;
  };
  private readonly startedAt: number;
  readonly defs: readonly Def[];
  /**
   * The info code (register 99). Sensor conditions in it change the readings the way a real
   * meter's do (403 TD §7.7.3): a disconnected temperature sensor reads 185.00 °C, a shorted
   * one 0.00 °C, power then reads 0.0 kW; air in or reverse flow through V1 reads 0 l/h.
   * (A real meter also stops accumulating energy meanwhile; the totals here keep their course.)
   */
  get infoCode(): number {
    return this.infoEvents.length ? this.infoEvents[this.infoEvents.length - 1]!.code : 0;
  }
  set infoCode(code: number) {
    if (code !== this.infoCode) this.infoEvents.push({ at: Math.max(this.now(), this.startedAt), code });
  }

  /** Every change of the info code since installation, oldest first: what the info logger holds. */
  readonly infoEvents: InfoEvent[] = [];
  /** Host time of installation: the meter's totals and hour counter start here. */
  readonly installedAt: number;

  constructor(
    readonly model: MeterModel,
    readonly serial: number,
    readonly energyUnit: EnergyUnit,
    seed: number,
    private readonly frozen: boolean,
    private readonly now: () => number,
    lacking: readonly number[] = [],
    history: MeterHistoryOptions = {},
  ) {
    const rnd = createPrng(seed);
    this.base = {
      flow: 380 + Math.round(rnd() * 120),
      swing: 60 + Math.round(rnd() * 40),
      dT: 22 + rnd() * 8,
      t1: 62 + rnd() * 8,
      phase: rnd() * Math.PI * 2,
      volume: 1500 + rnd() * 1000,
      energyKwh: 40_000 + rnd() * 30_000,
      hours: 30_000 + Math.round(rnd() * 20_000),
    };
    this.startedAt = now();
    this.installedAt = history.installedAt ?? this.startedAt - this.base.hours * HOUR_MS;
    this.pastInfoEvents(rnd);
    this.defs = this.buildDefs().filter((d) => !lacking.includes(d.id));
  }

  /**
   * A past of transient info codes, each set for a few days and then cleared, so the info logger
   * and the info code in older entries have something to show; the last one is cleared before
   * the meter is created, so the live info code (0) agrees with its history.
   */
  private pastInfoEvents(rnd: () => number): void {
    for (let at = this.installedAt + 20 * DAY_MS * (1 + rnd()); ;) {
      const cleared = at + DAY_MS * (1 + Math.floor(rnd() * 4)) + Math.floor(rnd() * 1440) * 60_000;
      if (cleared >= this.startedAt) break;
      const code = PAST_INFO_CODES[Math.floor(rnd() * PAST_INFO_CODES.length)]!;
      this.infoEvents.push(
        { at: Math.floor(at / 60_000) * 60_000, code },
        { at: Math.floor(cleared / 60_000) * 60_000, code: 0 },
      );
      at = cleared + DAY_MS * (15 + rnd() * 60);
    }
  }

  /** The info code in effect at host time `t`. */
  infoCodeAt(t: number): number {
    let code = 0;
    for (const e of this.infoEvents) if (e.at <= t) code = e.code;
    return code;
  }

  private snapshot(): Snapshot {
    return this.snapshotAt(this.now());
  }

  /**
   * The meter's quantities at host time `t`. From its creation on they follow the live model; before
   * it, volume and energy follow a seasonal curve from zero at installation up to the live values,
   * so logger entries only ever grow and meet the live registers where the two join.
   */
  snapshotAt(nowMs: number): Snapshot {
    const past = nowMs < this.startedAt;
    const hours = this.frozen && !past ? 0 : (nowMs - this.startedAt) / 3_600_000;
    const b = this.base;
    const w = (2 * Math.PI) / 6; // one swing every 6 hours
    const flowLh = b.flow + b.swing * Math.sin(w * hours + b.phase);
    // ∫ flow dt, exact: flow never drops below zero, so the volume only grows.
    const litres = b.flow * hours + (b.swing / w) * (Math.cos(b.phase) - Math.cos(w * hours + b.phase));
    const t1 = b.t1 + 1.5 * Math.sin(w * 0.5 * hours + b.phase);
    const share = past ? this.historyShare(nowMs) : 1;
    return this.withSensorFaults({
      hours,
      flowLh,
      t1,
      t2: t1 - b.dT,
      powerKw: (flowLh / 1000) * b.dT * KWH_PER_M3K,
      volumeM3: past ? b.volume * share : b.volume + litres / 1000,
      energyKwh: past ? b.energyKwh * share : b.energyKwh + (litres / 1000) * b.dT * KWH_PER_M3K,
      now: new Date(nowMs),
      infoCode: this.infoCodeAt(nowMs),
    });
  }

  /** How much of the totals at creation had been used by `t`: 0 at installation, 1 at creation, more in winter. */
  private historyShare(t: number): number {
    // ∫ (1 + ½ cos(2π (day − 15) / year)) d(day): twice the heat in mid-January as in mid-July.
    const used = (ms: number) => {
      const days = ms / DAY_MS;
      return days + ((0.5 * YEAR_DAYS) / (2 * Math.PI)) * Math.sin((2 * Math.PI * (days - 15)) / YEAR_DAYS);
    };
    const from = used(this.installedAt);
    return Math.max(0, (used(Math.max(t, this.installedAt)) - from) / (used(this.startedAt) - from));
  }

  private withSensorFaults(s: Snapshot): Snapshot {
    const has = (bit: number) => (s.infoCode & bit) !== 0;
    const out = { ...s };
    if (has(INFO.t1Above)) out.t1 = 185;
    if (has(INFO.t1Below)) out.t1 = 0;
    if (has(INFO.t2Above)) out.t2 = 185;
    if (has(INFO.t2Below)) out.t2 = 0;
    if (has(INFO.v1Air) || has(INFO.v1Reverse)) out.flowLh = 0;
    if (out.t1 !== s.t1 || out.t2 !== s.t2 || out.flowLh !== s.flowLh) out.powerKw = 0;
    return out;
  }

  private buildDefs(): Def[] {
    const e = ENERGY[this.energyUnit];
    // The 403 seen in a German capture used 2-byte mantissas for temperatures, flow and power.
    const short = this.model === '403' ? 2 : 4;
    const b = this.base;
    const energy = (kwh: number) => fixed(kwh * e.perKwh, e.decimals);
    const defs: Def[] = [
      { id: 0x3c, unit: e.code, length: 4, value: (s) => energy(s.energyKwh) },
      { id: 0x50, unit: U.kW, length: short, value: (s) => fixed(s.powerKw, 1) },
      { id: 0x56, unit: U.C, length: short, value: (s) => fixed(s.t1, 2) },
      { id: 0x57, unit: U.C, length: short, value: (s) => fixed(s.t2, 2) },
      { id: 0x59, unit: U.K, length: short, value: (s) => fixed(s.t1 - s.t2, 2) },
      { id: 0x4a, unit: U.lh, length: short, value: (s) => fixed(s.flowLh, 0) },
      { id: 0x44, unit: U.m3, length: 4, value: (s) => fixed(s.volumeM3, 2) },
      { id: 0x8d, unit: U.lh, length: 4, value: () => fixed(b.flow - b.swing, 0) },
      { id: 0x8b, unit: U.lh, length: 4, value: () => fixed(b.flow + b.swing, 0) },
      { id: 0x8c, unit: U.yymmdd, length: 4, value: (s) => yymmdd(firstOfMonth(s.now)) },
      { id: 0x8a, unit: U.yymmdd, length: 4, value: (s) => yymmdd(s.now) },
      { id: 0x91, unit: U.kW, length: 4, value: () => fixed(((b.flow - b.swing) / 1000) * b.dT * KWH_PER_M3K, 1) },
      { id: 0x8f, unit: U.kW, length: 4, value: () => fixed(((b.flow + b.swing) / 1000) * b.dT * KWH_PER_M3K, 1) },
      { id: 0x95, unit: U.C, length: 4, value: () => fixed(b.t1, 2) },
      { id: 0x96, unit: U.C, length: 4, value: () => fixed(b.t1 - b.dT, 2) },
      { id: 0x90, unit: U.yymmdd, length: 4, value: (s) => yymmdd(firstOfMonth(s.now)) },
      { id: 0x8e, unit: U.yymmdd, length: 4, value: (s) => yymmdd(s.now) },
      { id: 0x7e, unit: U.lh, length: 4, value: () => fixed(b.flow - b.swing - 40, 0) },
      { id: 0x7c, unit: U.lh, length: 4, value: () => fixed(b.flow + b.swing + 55, 0) },
      { id: 0x7d, unit: U.yymmdd, length: 4, value: (s) => yymmdd(firstOfYear(s.now)) },
      { id: 0x7b, unit: U.yymmdd, length: 4, value: (s) => yymmdd(firstOfMonth(s.now)) },
      { id: 0x82, unit: U.kW, length: 4, value: () => fixed(((b.flow - b.swing - 40) / 1000) * b.dT * KWH_PER_M3K, 1) },
      { id: 0x80, unit: U.kW, length: 4, value: () => fixed(((b.flow + b.swing + 55) / 1000) * b.dT * KWH_PER_M3K, 1) },
      { id: 0x92, unit: U.C, length: 4, value: () => fixed(b.t1 - 0.8, 2) },
      { id: 0x93, unit: U.C, length: 4, value: () => fixed(b.t1 - b.dT - 0.6, 2) },
      { id: 0x81, unit: U.yymmdd, length: 4, value: (s) => yymmdd(firstOfYear(s.now)) },
      { id: 0x7f, unit: U.yymmdd, length: 4, value: (s) => yymmdd(firstOfMonth(s.now)) },
      { id: 0x61, unit: U.m3C, length: 4, value: (s) => fixed(s.volumeM3 * b.t1, 0) },
      { id: 0x6e, unit: U.m3C, length: 4, value: (s) => fixed(s.volumeM3 * (b.t1 - b.dT), 0) },
      { id: 0x71, unit: U.number, length: 4, value: () => '3' },
      { id: 0x3ec, unit: U.h, length: 4, value: (s) => fixed(Math.max(0, b.hours + Math.floor(s.hours)), 0) },
      { id: 0x63, unit: U.number, length: 4, value: (s) => String(s.infoCode) },
      { id: 0x3e9, unit: U.number, length: 4, value: () => String(this.serial) },
      { id: 0x3ea, unit: U.hhmmss, length: 4, value: (s) => hhmmss(s.now) },
      { id: 0x3eb, unit: U.yymmdd, length: 4, value: (s) => yymmdd(s.now) },
      { id: 0x3f, unit: e.code, length: 4, value: () => energy(b.energyKwh * 0.004) },
      { id: 0x98, unit: U.number, length: 4, value: () => '12040120' },
      // Bytes 1B 0D 40 06 on the wire: every read of the config numbers exercises byte stuffing.
      { id: 0x99, unit: U.number, length: 4, value: () => String(0x1b0d4006) },
      { id: 0xa8, unit: U.number, length: 4, value: () => '100000' },
    ];
    if (this.model === '601' || this.model === '801') {
      // No high-resolution registers are documented for these (5512-447 lists none).
    } else if (this.model === '402') {
      defs.push(
        { id: 155, unit: U.Wh, length: 4, value: (s) => fixed((s.energyKwh * 1000) % 1e9, 0) },
        { id: 223, unit: U.l, length: 4, value: (s) => fixed((s.volumeM3 * 1000) % 1e9, 0) },
      );
    } else {
      // High-resolution energy wraps (most significant digits truncated); the 603 sends it with an 8-byte mantissa.
      defs.push(
        {
          id: 266,
          unit: U.Wh,
          length: this.model === '603' ? 8 : 4,
          value: (s) => fixed((s.energyKwh * 1000) % 1e8, 0),
        },
        { id: 239, unit: U.l, length: 4, value: (s) => fixed((s.volumeM3 * 1000) % 1e9, 0) },
      );
    }
    if (this.model === '603') {
      defs.push(
        { id: 88, unit: U.C, length: 4, value: () => '11.40' },
        { id: 69, unit: U.m3, length: 4, value: (s) => fixed(s.volumeM3 * 0.998, 2) },
        { id: 75, unit: U.lh, length: 4, value: (s) => fixed(s.flowLh * 0.998, 0) },
        { id: 72, unit: U.ton, length: 4, value: (s) => fixed(s.volumeM3 * 0.98, 2) },
        { id: 73, unit: U.ton, length: 4, value: (s) => fixed(s.volumeM3 * 0.979, 2) },
      );
    }
    return defs;
  }

  get supported(): number[] {
    return this.defs.map((d) => d.id);
  }

  /** The definition of a register this meter answers, if it has one. */
  def(id: number): Def | undefined {
    return this.defs.find((d) => d.id === id);
  }

  /** Current values of the given ids that this meter knows, in the given order. */
  values(ids?: readonly number[]): Array<RegisterBlockSpec & { length: number }> {
    const s = this.snapshot();
    const pick = ids ? ids.flatMap((id) => this.defs.filter((d) => d.id === id)) : this.defs;
    return pick.map((d) => ({ id: d.id, unitCode: d.unit, decimal: d.value(s), length: d.length }));
  }
}
