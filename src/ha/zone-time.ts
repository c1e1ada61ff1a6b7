/**
 * Wall-clock time in a named time zone (IANA, as Home Assistant's get_config gives it) to the
 * instant it names, with the Intl API: the meter keeps local time, Home Assistant's statistics
 * want instants on the hour.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True when the Intl API knows the zone. */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** Minutes `timeZone` is ahead of UTC at instant `ms` (60 for Copenhagen in winter, 120 in summer). */
export function zoneOffsetMinutes(ms: number, timeZone: string): number {
  const parts = formatter(timeZone).formatToParts(new Date(ms));
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((x) => x.type === type)?.value ?? NaN);
  const asUtc = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'));
  return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60_000);
}

const standardOffsets = new Map<string, number>();

/** The zone's offset without daylight saving in `year`: the smaller of January's and July's. */
export function standardOffsetMinutes(year: number, timeZone: string): number {
  const key = `${timeZone} ${year}`;
  let offset = standardOffsets.get(key);
  if (offset === undefined) {
    offset = Math.min(
      zoneOffsetMinutes(Date.UTC(year, 0, 1), timeZone),
      zoneOffsetMinutes(Date.UTC(year, 6, 1), timeZone),
    );
    standardOffsets.set(key, offset);
  }
  return offset;
}

/** "2026-04-21T13:07:30" read as if it were UTC, in ms. */
export function isoLocalAsUtc(isoLocal: string): number {
  const [y, mo, d, h, mi, s] = isoLocal.split(/[-T:]/).map(Number) as [number, number, number, number, number, number];
  return Date.UTC(y, mo - 1, d, h, mi, s);
}

/**
 * The instant of a wall-clock time in `timeZone`. In the autumn hour that happens twice, the
 * first (daylight-saving) one; in the spring hour that never happens, the time an hour later.
 */
export function wallClockInstant(isoLocal: string, timeZone: string): number {
  const wall = isoLocalAsUtc(isoLocal);
  // Two offsets are possible around a change; try the earlier instant first.
  const candidates = [
    ...new Set([zoneOffsetMinutes(wall - 86_400_000, timeZone), zoneOffsetMinutes(wall + 86_400_000, timeZone)]),
  ].sort((a, b) => b - a);
  for (const offset of candidates) {
    const at = wall - offset * 60_000;
    if (zoneOffsetMinutes(at, timeZone) === offset) return at;
  }
  return wall - candidates[candidates.length - 1]! * 60_000;
}
