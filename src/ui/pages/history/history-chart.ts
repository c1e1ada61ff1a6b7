import { msg } from '@lit/localize';
import uPlot from 'uplot';
import type { Series } from '../../../store/index.ts';

const COLOURS = ['#c2410c', '#2563eb', '#15803d', '#9333ea', '#b45309', '#0891b2'];

/**
 * Draws a decimated series with uPlot: one y scale per unit (°C and kW never share an axis),
 * drag on the chart to zoom in on a stretch of time, double-click to zoom out. The x axis shows
 * `shown` (see chart-range.ts), not what uPlot would make of one or two points.
 */
export function drawChart(
  target: HTMLElement,
  series: Series,
  labels: (id: number) => string,
  width: number,
  shown: [from: number, to: number] | undefined,
): uPlot {
  // One line per register and unit: energy kept in GJ and later in MWh is two lines on two axes.
  const lines = series.lines;
  const units = [...new Set(lines.map((l) => l.unit))];
  const data: uPlot.AlignedData = [series.times.map((t) => t / 1000), ...lines.map((l) => l.values)];
  const opts: uPlot.Options = {
    width,
    height: 320,
    scales: {
      // Auto-ranging (at the start and on double-click) shows the chosen range, not the data's extent.
      x: shown ? { time: true, range: (): uPlot.Range.MinMax => [shown[0] / 1000, shown[1] / 1000] } : { time: true },
    },
    series: [
      // uPlot would name the time axis in its legend "Time" in every language.
      { label: msg('Time') },
      ...lines.map((line, i) => ({
        label: `${labels(line.id)} [${line.unit}]`,
        stroke: COLOURS[i % COLOURS.length]!,
        scale: line.unit,
        spanGaps: true,
        points: { show: series.times.length < 200 },
      })),
    ],
    axes: [
      { stroke: 'currentColor' },
      ...units.map((unit, i) => ({
        scale: unit,
        label: unit,
        stroke: 'currentColor',
        side: i % 2 === 0 ? 3 : 1,
        grid: { show: i === 0 },
      })),
    ],
  };
  return new uPlot(opts, data, target);
}
