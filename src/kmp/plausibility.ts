import { registerById, registerLabelWords } from './catalogue.ts';
import { fill, words, type Sentences, type Words } from './words.ts';
import type { RegisterValue } from './registers.ts';

/**
 * What a MULTICAL can physically register, per kind of quantity, in one base unit. Generous on
 * purpose: the point is to catch numbers no meter produces (an exponent of 63, a mantissa of
 * noise), not to second-guess a real installation. Sources for the bounds:
 * - temperatures: the sensors' range is about 0–185 °C (403/603 TD); −50 leaves room for
 *   cooling and outdoor sensors, 200 for a sensor slightly above range.
 * - energy: 10^8 GJ is centuries of the largest flow sensor (qp 1000 m³/h) at 160 K.
 * - volume and mass: 10^9 m³ (or t) is fifty years at 2000 m³/h, the largest sensors' qs.
 * - flow: |10^4| m³/h; power: |10^6| kW (2000 m³/h × 160 K × 1.16 kWh/(m³·K) ≈ 370 MW).
 * - hours: 10^6 h is over a century of operation.
 */
interface QuantityLimit {
  /** How the quantity is named in the message. */
  what: string;
  min: number;
  max: number;
}

const LIMITS = {
  energy: { what: 'an energy register', min: 0, max: 1e8 }, // GJ
  volume: { what: 'a volume register', min: 0, max: 1e9 }, // m³
  mass: { what: 'a mass register', min: 0, max: 1e9 }, // t
  power: { what: 'power', min: -1e6, max: 1e6 }, // kW
  flow: { what: 'flow', min: -1e4, max: 1e4 }, // m³/h
  temperature: { what: 'a temperature sensor', min: -50, max: 200 }, // °C
  temperatureDifference: { what: 'a temperature difference', min: -250, max: 250 }, // K
  duration: { what: 'an hour counter', min: 0, max: 1e6 }, // h
  pressure: { what: 'a pressure sensor', min: -1, max: 100 }, // bar
  temperatureVolume: { what: 'an m³ × °C register', min: 0, max: 2e11 }, // m³×°C
  count: { what: 'a counter or info code', min: 0, max: 2 ** 32 - 1 }, // no unit
} satisfies Record<string, QuantityLimit>;

type LimitKind = keyof typeof LIMITS;

/** Each unit the meter can report → the limit that applies and how many base units one of it is. */
const UNIT_SCALE: Readonly<Record<string, readonly [LimitKind, number]>> = {
  Wh: ['energy', 3.6e-6],
  kWh: ['energy', 3.6e-3],
  MWh: ['energy', 3.6],
  GWh: ['energy', 3600],
  J: ['energy', 1e-9],
  kJ: ['energy', 1e-6],
  MJ: ['energy', 1e-3],
  GJ: ['energy', 1],
  'GJ ×10': ['energy', 10],
  cal: ['energy', 4.1868e-9],
  kcal: ['energy', 4.1868e-6],
  Mcal: ['energy', 4.1868e-3],
  Gcal: ['energy', 4.1868],
  l: ['volume', 1e-3],
  'm³': ['volume', 1],
  'm³ ×10': ['volume', 10],
  ton: ['mass', 1],
  'ton ×10': ['mass', 10],
  W: ['power', 1e-3],
  kW: ['power', 1],
  MW: ['power', 1e3],
  GW: ['power', 1e6],
  'l/h': ['flow', 1e-3],
  'm³/h': ['flow', 1],
  'ton/h': ['flow', 1],
  '°C': ['temperature', 1],
  // The meter reports differences (T1−T2, register 89) in K; never absolute temperatures.
  K: ['temperatureDifference', 1],
  ms: ['duration', 1 / 3_600_000],
  s: ['duration', 1 / 3600],
  min: ['duration', 1 / 60],
  h: ['duration', 1],
  days: ['duration', 24],
  bar: ['pressure', 1],
  'm³×°C': ['temperatureVolume', 1],
};

export interface PlausibleRange {
  min: number;
  max: number;
  /** The unit `min` and `max` are in: the value's own. */
  unit: string;
}

/**
 * The range a value of register `id` in `unit` can physically take, in that unit; undefined when
 * nothing sensible can be said (dates, times, unknown units, configuration numbers).
 */
export function plausibleRange(id: number, unit: string): PlausibleRange | undefined {
  const scaled = UNIT_SCALE[unit];
  if (scaled) {
    const [kind, factor] = scaled;
    return { min: LIMITS[kind].min / factor, max: LIMITS[kind].max / factor, unit };
  }
  const quantity = registerById(id)?.quantity;
  if (unit === '' && (quantity === 'counter' || quantity === 'infoCode'))
    return { min: LIMITS.count.min, max: LIMITS.count.max, unit };
  return undefined;
}

function limitKind(id: number, unit: string): LimitKind | undefined {
  return UNIT_SCALE[unit]?.[0] ?? (plausibleRange(id, unit) ? 'count' : undefined);
}

/** A limit in words: 27800000000 rather than 27777777777.777776. */
function shortNumber(n: number): string {
  return String(Number(n.toPrecision(3)));
}

/**
 * What the plausibility check says, by id (src/kmp/words.ts). `name` is the register's label,
 * `value` and `limit` are numbers with their unit as the meter sent them, `what` one of the
 * `kmp.quantity.*` noun phrases below.
 */
export const PLAUSIBILITY_SENTENCES: Sentences = {
  'kmp.implausible.not-finite': '{name} is not a finite number ({value} {unit})',
  'kmp.implausible.below': '{name} reads {value}, below {limit}: outside what {what} can hold',
  'kmp.implausible.above': '{name} reads {value}, above {limit}: outside what {what} can hold',
  ...Object.fromEntries(Object.entries(LIMITS).map(([kind, limit]) => [`kmp.quantity.${kind}`, limit.what])),
};

/**
 * Why a decoded value cannot be a real measurement, as words, or undefined when it can. A value
 * this flags came through a valid CRC but is outside what its register can physically hold (an
 * exponent of 63, say): it must not be published, charted or rolled up. Distinct from
 * `suspectValues`, which flags real values a meter sends in place of a measurement (185.00 °C for
 * a missing sensor).
 */
export function implausibleWords(v: RegisterValue): Words | undefined {
  const name = registerLabelWords(v.id);
  if (!Number.isFinite(v.value))
    return words(PLAUSIBILITY_SENTENCES, 'kmp.implausible.not-finite', { name, value: v.decimal, unit: v.unit });
  const range = plausibleRange(v.id, v.unit);
  if (!range) return undefined;
  const shown = v.decimal.length <= 16 ? v.decimal : v.value.toPrecision(4);
  const unit = v.unit ? ` ${v.unit}` : '';
  const what = words(PLAUSIBILITY_SENTENCES, `kmp.quantity.${limitKind(v.id, v.unit)!}`);
  const said = (id: string, limit: number) =>
    words(PLAUSIBILITY_SENTENCES, id, { name, value: `${shown}${unit}`, limit: `${shortNumber(limit)}${unit}`, what });
  if (v.value < range.min) return said('kmp.implausible.below', range.min);
  if (v.value > range.max) return said('kmp.implausible.above', range.max);
  return undefined;
}

/** implausibleWords in English: what the store and the logs say. */
export function implausibleReason(v: RegisterValue): string | undefined {
  const said = implausibleWords(v);
  return said && fill(said);
}

/** The values of a reading that pass `implausibleReason`, and the others with the reason. */
export function partitionPlausible(values: readonly RegisterValue[]): {
  plausible: RegisterValue[];
  implausible: { value: RegisterValue; reason: string }[];
} {
  const plausible: RegisterValue[] = [];
  const implausible: { value: RegisterValue; reason: string }[] = [];
  for (const v of values) {
    const reason = implausibleReason(v);
    if (reason) implausible.push({ value: v, reason });
    else plausible.push(v);
  }
  return { plausible, implausible };
}
