/** What zoomedRange needs of a uPlot chart (kept structural so it is testable without a DOM). */
export interface ZoomableChart {
  data: ReadonlyArray<ArrayLike<number | null | undefined>>;
  scales: { [key: string]: { min?: number | null; max?: number | null } | undefined };
}

/** The x range the user zoomed the chart to, or undefined when it shows all its data. */
export function zoomedRange(chart: ZoomableChart | undefined): { min: number; max: number } | undefined {
  const times = chart?.data[0];
  const x = chart?.scales['x'];
  if (!times?.length || x?.min == null || x.max == null) return undefined;
  const first = times[0];
  const last = times[times.length - 1];
  if (first == null || last == null) return undefined;
  return x.min > first || x.max < last ? { min: x.min, max: x.max } : undefined;
}
