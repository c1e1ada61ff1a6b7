import type { RegisterValue } from './registers.ts';

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

/**
 * Values a MULTICAL reports in place of a measurement when a sensor fails (403 TD §7.7.3,
 * 603 TD): 0.00 °C for a short-circuited or below-range sensor, 185.00 °C for a disconnected
 * one, and 0 flow or power while the info code is set. Returns id → why it looks wrong.
 */
export function suspectValues(values: readonly RegisterValue[]): Map<number, string> {
  const out = new Map<number, string>();
  const info = values.find((v) => v.id === REG_INFO_CODE);
  const infoActive = info !== undefined && info.value !== 0;
  for (const v of values) {
    if (v.unitCode === UNIT_CELSIUS && v.value === 0)
      out.set(
        v.id,
        'reads exactly 0.00 °C: the sensor is probably short-circuited or below its range (see the info code)',
      );
    else if (v.unitCode === UNIT_CELSIUS && v.value === 185)
      out.set(
        v.id,
        'reads exactly 185.00 °C: the sensor is probably disconnected or above its range (see the info code)',
      );
    else if ((v.id === REG_FLOW || v.id === REG_POWER) && v.value === 0 && infoActive)
      out.set(v.id, 'is 0 while the info code reports a problem: likely a sensor error, not a real value');
  }
  return out;
}
