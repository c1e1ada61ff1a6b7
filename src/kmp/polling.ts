/**
 * How often a meter may be asked, wherever an interval comes from (the picker, an import, a
 * restore, a value an older version stored). Every request costs the meter's battery, and the
 * app offers nothing shorter than a minute; an interval past a day is not polling any more (and
 * finds the optical port asleep).
 */
export const MIN_POLL_INTERVAL_MS = 60_000;
export const MAX_POLL_INTERVAL_MS = 24 * 60 * 60_000;
