import { formatDateTimeValue, registerById, type RegisterValue } from '../../kmp/index.ts';
import { formatExactDecimal } from './exact-number-format.ts';

/** A register's label: the catalogue's name where it has one, else its id. */
export function registerLabel(id: number): string {
  return registerById(id)?.label ?? `Register ${id}`;
}

/**
 * The value as the meter meant it: exact decimal (with the decimal separator of `locale`, by
 * default the browser's), dates and times as such. Always text, never HTML.
 */
export function formatValue(v: RegisterValue, locale: string | undefined = pageLocale()): string {
  return formatDateTimeValue(v.unitCode, v.decimal) ?? formatExactDecimal(v.decimal, locale);
}

/**
 * The locale numbers are written in: the browser's, as dates already are (toLocaleString). The
 * page's text is English only so far, so its lang attribute stays "en" and is not asked here.
 */
export function pageLocale(): string | undefined {
  return typeof navigator !== 'undefined' ? navigator.language : undefined;
}

/** The unit to show next to a value; date and time units are part of the formatted value. */
export function formatUnit(v: RegisterValue): string {
  return formatDateTimeValue(v.unitCode, v.decimal) !== undefined ? '' : v.unit;
}

export function formatTime(ms: number): string {
  return new Date(ms).toLocaleString();
}

export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.round(s / 60);
  return m < 60 ? `${m} min` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** A frame's time of day to the millisecond, 24-hour clock: "14:03:07.042". */
export function clockTime(at: number): string {
  return `${new Date(at).toLocaleTimeString(undefined, { hour12: false })}.${String(at % 1000).padStart(3, '0')}`;
}
