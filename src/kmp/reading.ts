import type { RegisterValue } from './registers.ts';
import { fill, words, type Sentences, type Words } from './words.ts';

/** One complete read of a meter: what every layer above the codec passes around. */
export interface Reading {
  /** The meter's serial number: readings, topics and discovery devices are keyed by it. */
  serial: number;
  /** Milliseconds since the epoch when the read finished. */
  takenAt: number;
  values: RegisterValue[];
}

const UNIT_CELSIUS = 37;
const REG_INFO_CODE = 99;
const REG_FLOW = 74;
const REG_POWER = 80;

/** Why a value looks like a sensor error, by id (src/kmp/words.ts): said after the register's label. */
export const SUSPECT_SENTENCES = {
  'kmp.suspect.zero-celsius':
    'reads exactly 0.00 °C: the sensor is probably short-circuited or below its range (see the info code)',
  'kmp.suspect.185-celsius':
    'reads exactly 185.00 °C: the sensor is probably disconnected or above its range (see the info code)',
  'kmp.suspect.zero-with-info': 'is 0 while the info code reports a problem: likely a sensor error, not a real value',
} as const satisfies Sentences;

/**
 * Values a MULTICAL reports in place of a measurement when a sensor fails (403 TD §7.7.3,
 * 603 TD): 0.00 °C for a short-circuited or below-range sensor, 185.00 °C for a disconnected
 * one, and 0 flow or power while the info code is set. Returns id → why it looks wrong, as words.
 */
export function suspectValueWords(values: readonly RegisterValue[]): Map<number, Words> {
  const out = new Map<number, Words>();
  const info = values.find((v) => v.id === REG_INFO_CODE);
  const infoActive = info !== undefined && info.value !== 0;
  for (const v of values) {
    if (v.unitCode === UNIT_CELSIUS && v.value === 0)
      out.set(v.id, words(SUSPECT_SENTENCES, 'kmp.suspect.zero-celsius'));
    else if (v.unitCode === UNIT_CELSIUS && v.value === 185)
      out.set(v.id, words(SUSPECT_SENTENCES, 'kmp.suspect.185-celsius'));
    else if ((v.id === REG_FLOW || v.id === REG_POWER) && v.value === 0 && infoActive)
      out.set(v.id, words(SUSPECT_SENTENCES, 'kmp.suspect.zero-with-info'));
  }
  return out;
}

/** suspectValueWords in English. */
export function suspectValues(values: readonly RegisterValue[]): Map<number, string> {
  return new Map([...suspectValueWords(values)].map(([id, why]) => [id, fill(why)]));
}
