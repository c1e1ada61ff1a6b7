import { UNIT_DATE_TIME_DST, wallClockTime } from './date-time-dst.ts';
import type { RegisterValue } from './registers.ts';
import { UNIT_DATE_YYMMDD, UNIT_TIME } from './units.ts';

/** Register 348: date and time with daylight saving (unit 79). */
export const REG_DATE_TIME_DST = 348;
/** Registers 1003 (date, yy:mm:dd) and 1002 (time, hh:mm:ss): the older way to stamp an entry. */
export const REG_DATE = 1003;
export const REG_TIME = 1002;

/**
 * Logger rows carry no time of their own, so every request asks for a time register: 348 where the
 * logger records it, else 1003 and 1002. Undefined when the logger records neither.
 */
export function timeRegistersFor(recorded: readonly number[]): number[] | undefined {
  if (recorded.includes(REG_DATE_TIME_DST)) return [REG_DATE_TIME_DST];
  if (recorded.includes(REG_DATE) && recorded.includes(REG_TIME)) return [REG_DATE, REG_TIME];
  return undefined;
}

const ISO_LOCAL = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/;

/** True for "2026-04-21T13:07:30": the ISO 8601 local date-time text entries are stamped with. */
export function isIsoLocalDateTime(text: string): boolean {
  if (!ISO_LOCAL.test(text)) return false;
  const [y, mo, d, h, mi, s] = text.split(/[-T:]/).map(Number) as [number, number, number, number, number, number];
  const days = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  return (
    mo >= 1 && mo <= 12 && d >= 1 && d <= days && mi <= 59 && s <= 59 && (h < 24 || (h === 24 && mi === 0 && s === 0))
  );
}

/**
 * The time of a logger row as the meter's display and Kamstrup's software show it, ISO 8601
 * local: 348 with its daylight-saving minutes added, else the date of 1003 and the time of 1002
 * as they are. Undefined when the row has no usable time (an empty logger's placeholder).
 */
export function loggerRowTime(values: readonly RegisterValue[]): string | undefined {
  const dt = values.find((v) => v.id === REG_DATE_TIME_DST && v.unitCode === UNIT_DATE_TIME_DST);
  if (dt?.dateTime !== undefined) return wallClockTime({ dateTime: dt.dateTime, dstMinutes: dt.dstMinutes ?? 0 });
  const date = values.find((v) => v.id === REG_DATE && v.unitCode === UNIT_DATE_YYMMDD);
  const time = values.find((v) => v.id === REG_TIME && v.unitCode === UNIT_TIME);
  if (!date || !time || !/^\d{1,6}$/.test(date.decimal) || !/^\d{1,6}$/.test(time.decimal)) return undefined;
  const d = date.decimal.padStart(6, '0');
  const t = time.decimal.padStart(6, '0');
  const text = `20${d.slice(0, 2)}-${d.slice(2, 4)}-${d.slice(4)}T${t.slice(0, 2)}:${t.slice(2, 4)}:${t.slice(4)}`;
  return isIsoLocalDateTime(text) ? text : undefined;
}
