import { KmpError } from './errors.ts';

/**
 * Unit 79 (register 348): date and time with daylight saving, seven bytes
 * `DST-minutes YY MM DD hh mm ss` (docs/loggers.md#register-348). The meter keeps the raw fields in standard time
 * and says beside them how many minutes daylight saving adds; Kamstrup's software shows the sum.
 */
export const UNIT_DATE_TIME_DST = 79;

/** Mantissa bytes of a unit-79 value. */
export const DATE_TIME_DST_LENGTH = 7;

/** No zone shifts its clocks by more than two hours: a larger figure is damage, not a setting. */
export const MAX_DST_MINUTES = 120;

export interface DateTimeDst {
  /** The raw fields as ISO 8601 local date-time, daylight saving not applied ("2026-04-21T12:07:30"). */
  dateTime: string;
  /** Minutes the meter adds for daylight saving (0 in winter, 60 in a European summer). */
  dstMinutes: number;
}

const two = (n: number) => String(n).padStart(2, '0');

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * Decodes the seven bytes of a unit-79 value. Seven zero bytes are how an empty logger fills its
 * placeholder row: no time at all, so undefined. Anything that is not a calendar date and a time
 * of day (24:00:00 allowed, as older meters stamp year ends) is refused with KmpError 'range'.
 */
export function decodeDateTimeDst(bytes: Uint8Array): DateTimeDst | undefined {
  if (bytes.length !== DATE_TIME_DST_LENGTH)
    throw new KmpError(
      'length',
      `a date-time with daylight saving (unit 79) has ${DATE_TIME_DST_LENGTH} bytes, not ${bytes.length}`,
    );
  if (bytes.every((b) => b === 0)) return undefined;
  const [dst, yy, mo, dd, hh, mi, ss] = Array.from(bytes) as [number, number, number, number, number, number, number];
  const text = `${two(yy)}-${two(mo)}-${two(dd)} ${two(hh)}:${two(mi)}:${two(ss)}`;
  if (yy > 99 || mo < 1 || mo > 12 || dd < 1 || dd > daysIn(2000 + yy, mo))
    throw new KmpError('range', `date-time ${text} (unit 79) is not a calendar date`);
  if (mi > 59 || ss > 59 || hh > 24 || (hh === 24 && (mi !== 0 || ss !== 0)))
    throw new KmpError('range', `date-time ${text} (unit 79) is not a time of day`);
  if (dst > MAX_DST_MINUTES)
    throw new KmpError(
      'range',
      `date-time ${text} (unit 79) claims ${dst} minutes of daylight saving, more than ${MAX_DST_MINUTES}`,
    );
  return { dateTime: `20${two(yy)}-${two(mo)}-${two(dd)}T${two(hh)}:${two(mi)}:${two(ss)}`, dstMinutes: dst };
}

/** The seven bytes for a raw local date-time and its DST minutes (the virtual meter, tests). */
export function encodeDateTimeDst(value: DateTimeDst): Uint8Array {
  const m = /^20(\d\d)-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)$/.exec(value.dateTime);
  if (!m) throw new KmpError('argument', `"${value.dateTime}" is not a date-time from 2000 to 2099`);
  const bytes = Uint8Array.of(value.dstMinutes, ...m.slice(1).map(Number));
  if (!Number.isInteger(value.dstMinutes) || value.dstMinutes < 0 || value.dstMinutes > MAX_DST_MINUTES)
    throw new KmpError('argument', `${value.dstMinutes} is not 0 to ${MAX_DST_MINUTES} minutes of daylight saving`);
  try {
    decodeDateTimeDst(bytes);
  } catch (e) {
    if (e instanceof KmpError) throw new KmpError('argument', e.message);
    throw e;
  }
  return bytes;
}

/** `dateTime` plus `minutes`, as ISO local text; 24:00 rolls over to the next day. */
export function addMinutes(dateTime: string, minutes: number): string {
  const [y, mo, d, h, mi, s] = dateTime.split(/[-T:]/).map(Number) as [number, number, number, number, number, number];
  const t = new Date(Date.UTC(y, mo - 1, d, h, mi + minutes, s));
  return `${t.getUTCFullYear()}-${two(t.getUTCMonth() + 1)}-${two(t.getUTCDate())}T${two(t.getUTCHours())}:${two(t.getUTCMinutes())}:${two(t.getUTCSeconds())}`;
}

/** The time the meter's display and Kamstrup's software show: the raw fields with the DST minutes added. */
export function wallClockTime(value: DateTimeDst): string {
  return addMinutes(value.dateTime, value.dstMinutes);
}

/**
 * A unit-79 value as Kamstrup's software shows it, saying which time it is:
 * "2026-04-21 13:07:30 (daylight saving time, +60 min)" or "2026-01-01 00:00:00 (standard time)".
 */
export function formatDateTimeDst(value: DateTimeDst): string {
  const shown = wallClockTime(value).replace('T', ' ');
  return value.dstMinutes === 0
    ? `${shown} (standard time)`
    : `${shown} (daylight saving time, +${value.dstMinutes} min)`;
}

/** The seven bytes of a unit-79 value from its decimal mantissa text; undefined when it cannot be one. */
export function dateTimeDstBytes(decimal: string): Uint8Array | undefined {
  if (!/^\d+$/.test(decimal)) return undefined;
  let m = BigInt(decimal);
  if (m >= 1n << 56n) return undefined;
  const out = new Uint8Array(DATE_TIME_DST_LENGTH);
  for (let i = DATE_TIME_DST_LENGTH - 1; i >= 0; i--, m >>= 8n) out[i] = Number(m & 0xffn);
  return out;
}

/** The decimal mantissa text of a unit-79 value (what a register block of it carries, siex 0). */
export function dateTimeDstDecimal(value: DateTimeDst): string {
  let m = 0n;
  for (const b of encodeDateTimeDst(value)) m = (m << 8n) | BigInt(b);
  return m.toString();
}
