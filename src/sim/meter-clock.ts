/**
 * The virtual meter's calendar. Its wall clock is the host's local time, as its live date and
 * time registers (1003, 1002) show; logger arithmetic is done on "wall milliseconds" (those
 * local fields read as if they were UTC), so periods are whole days and hours whatever the
 * host's time zone. Daylight saving follows the European rule, the meter's own setting.
 */

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

/** Host time → wall milliseconds. */
export function toWall(hostMs: number): number {
  const d = new Date(hostMs);
  return Date.UTC(
    d.getFullYear(),
    d.getMonth(),
    d.getDate(),
    d.getHours(),
    d.getMinutes(),
    d.getSeconds(),
    d.getMilliseconds(),
  );
}

/** Wall milliseconds → host time. */
export function fromWall(wallMs: number): number {
  const u = new Date(wallMs);
  return new Date(
    u.getUTCFullYear(),
    u.getUTCMonth(),
    u.getUTCDate(),
    u.getUTCHours(),
    u.getUTCMinutes(),
    u.getUTCSeconds(),
    u.getUTCMilliseconds(),
  ).getTime();
}

const two = (n: number) => String(n).padStart(2, '0');

/** Wall milliseconds as ISO 8601 local text, to the second. */
export function wallIso(wallMs: number): string {
  const u = new Date(wallMs);
  return `${u.getUTCFullYear()}-${two(u.getUTCMonth() + 1)}-${two(u.getUTCDate())}T${two(u.getUTCHours())}:${two(u.getUTCMinutes())}:${two(u.getUTCSeconds())}`;
}

/** 01:00 UTC on the last Sunday of a month: when the EU changes its clocks. */
function lastSundayUtc(year: number, month: number): number {
  const last = new Date(Date.UTC(year, month + 1, 0));
  return Date.UTC(year, month, last.getUTCDate() - last.getUTCDay(), 1);
}

/**
 * Minutes of daylight saving at a wall time: 60 from the last Sunday of March (02:00 standard)
 * to the last Sunday of October (03:00 summer time), else 0.
 */
export function dstMinutesAt(wallMs: number): number {
  const year = new Date(wallMs).getUTCFullYear();
  // Central European standard time is UTC+1, summer time UTC+2; compare in that frame.
  const start = lastSundayUtc(year, 2) + HOUR_MS;
  const end = lastSundayUtc(year, 9) + 2 * HOUR_MS;
  return wallMs >= start && wallMs < end ? 60 : 0;
}

/** A logger's period on the wall clock: the index of the period holding a time, and when one starts. */
export interface Period {
  index(wallMs: number): number;
  start(index: number): number;
}

export const PERIODS = {
  year: { index: (w) => new Date(w).getUTCFullYear(), start: (k) => Date.UTC(k, 0, 1) },
  month: {
    index: (w) => new Date(w).getUTCFullYear() * 12 + new Date(w).getUTCMonth(),
    start: (k) => Date.UTC(Math.floor(k / 12), k % 12, 1),
  },
  day: { index: (w) => Math.floor(w / DAY_MS), start: (k) => k * DAY_MS },
  hour: { index: (w) => Math.floor(w / HOUR_MS), start: (k) => k * HOUR_MS },
} as const satisfies Record<string, Period>;

export type PeriodName = keyof typeof PERIODS;
