// Straight from the modules, not src/kmp/index.ts: the header's station banner puts this file in
// the first screen, and a layer's index there would pull the whole layer in (see vite.config.ts).
import { registerLabelWords } from '../../kmp/catalogue.ts';
import type { RegisterValue } from '../../kmp/registers.ts';
import { formatDateTimeValue } from '../../kmp/units.ts';
import { wordsText } from '../i18n/problem-text.ts';
import { formatExactDecimal } from './exact-number-format.ts';
import { formattingLocale } from '../i18n/formatting-locale.ts';

/** A register's label in the page's language: the catalogue's name where it has one, else its id. */
export function registerLabel(id: number): string {
  return wordsText(registerLabelWords(id));
}

/**
 * The value as the meter meant it: exact decimal (with the decimal separator of `locale`, by
 * default the browser's), dates and times as such. Always text, never HTML.
 */
export function formatValue(v: RegisterValue, locale: string | undefined = pageLocale()): string {
  return formatDateTimeValue(v.unitCode, v.decimal) ?? formatExactDecimal(v.decimal, locale);
}

/** The locale numbers are written in: the page language's (src/ui/i18n/formatting-locale.ts). */
export function pageLocale(): string | undefined {
  return formattingLocale();
}

/** The unit to show next to a value; date and time units are part of the formatted value. */
export function formatUnit(v: RegisterValue): string {
  return formatDateTimeValue(v.unitCode, v.decimal) !== undefined ? '' : v.unit;
}

export function formatTime(ms: number): string {
  return new Date(ms).toLocaleString(formattingLocale());
}

export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.round(s / 60);
  return m < 60 ? `${m} min` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** A frame's time of day to the millisecond, 24-hour clock: "14:03:07.042". */
export function clockTime(at: number): string {
  return `${new Date(at).toLocaleTimeString(formattingLocale(), { hour12: false })}.${String(at % 1000).padStart(3, '0')}`;
}
