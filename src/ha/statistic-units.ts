/**
 * The meter's unit as Home Assistant's long-term statistics take it. HA 2025.6 knows the energy
 * units Wh, kWh, MWh, GWh, MJ, GJ, cal, kcal, Mcal, Gcal and the volume units L and m³
 * (homeassistant/util/unit_conversion.py: EnergyConverter, VolumeConverter); a MULTICAL writes its
 * energy in kWh, MWh, GJ or Gcal and its volume in m³, so those pass as they are. The few units
 * HA has no name for are converted exactly, and the page says so.
 */
import { shiftDecimal } from '../kmp/exact-decimal.ts';
import type { Words } from '../kmp/words.ts';
import { haWords } from './ha-error.ts';

export interface HaUnit {
  /** The unit HA gets. */
  unit: string;
  /** Powers of ten from the meter's number to HA's (0: the same number). */
  shift: number;
  /** Set when the unit is not the meter's own: what was done, in words. */
  note?: Words;
}

const AS_IS = new Set(['Wh', 'kWh', 'MWh', 'GWh', 'MJ', 'GJ', 'cal', 'kcal', 'Mcal', 'Gcal', 'm³']);

const CONVERTED: Record<string, HaUnit> = {
  l: { unit: 'L', shift: 0, note: haWords('ha.unit.litres') },
  J: { unit: 'MJ', shift: -6, note: haWords('ha.unit.joule') },
  kJ: { unit: 'MJ', shift: -3, note: haWords('ha.unit.kilojoule') },
  'GJ ×10': { unit: 'GJ', shift: 1, note: haWords('ha.unit.tens-of-gj') },
  'm³ ×10': { unit: 'm³', shift: 1, note: haWords('ha.unit.tens-of-m3') },
};

/** HA's unit for a meter unit, or undefined when HA has no energy or volume unit for it. */
export function haUnit(meterUnit: string): HaUnit | undefined {
  if (AS_IS.has(meterUnit)) return { unit: meterUnit, shift: 0 };
  return CONVERTED[meterUnit];
}

/** The meter's exact decimal in HA's unit. */
export function inHaUnit(decimal: string, unit: HaUnit): string {
  return unit.shift ? shiftDecimal(decimal, unit.shift) : decimal;
}
