/** An hour either side of a lone point when the range is "everything": enough to read its time. */
const LONE_POINT_PAD_MS = 3_600_000;

/**
 * The stretch of time the chart's x axis shows, in milliseconds: the range the user chose (a day,
 * 30 days …) however few readings fall in it, or for "everything" (no lower bound) the readings'
 * own span. Left to itself uPlot scales one point across about a thousand days.
 */
export function shownRange(
  chosen: readonly [from: number, to: number],
  times: readonly number[],
): [number, number] | undefined {
  if (chosen[0] > 0) return [chosen[0], chosen[1]];
  if (!times.length) return undefined;
  const first = Math.min(...times);
  const last = Math.max(...times);
  return first === last ? [first - LONE_POINT_PAD_MS, last + LONE_POINT_PAD_MS] : [first, last];
}
