import { describe, expect, it } from 'vitest';
import { zoomedRange } from '../../../../src/ui/pages/history/chart-zoom.ts';

const times = [100, 200, 300, 400];

describe('zoomedRange', () => {
  it('is undefined while the chart shows all its data', () => {
    expect(zoomedRange({ data: [times], scales: { x: { min: 100, max: 400 } } })).toBeUndefined();
    expect(zoomedRange({ data: [times], scales: { x: { min: 50, max: 450 } } })).toBeUndefined();
  });

  it('gives the zoomed stretch when either end is inside the data', () => {
    expect(zoomedRange({ data: [times], scales: { x: { min: 150, max: 400 } } })).toEqual({ min: 150, max: 400 });
    expect(zoomedRange({ data: [times], scales: { x: { min: 100, max: 350 } } })).toEqual({ min: 100, max: 350 });
  });

  it('is undefined without a chart, data or scale', () => {
    expect(zoomedRange(undefined)).toBeUndefined();
    expect(zoomedRange({ data: [[]], scales: { x: { min: 1, max: 2 } } })).toBeUndefined();
    expect(zoomedRange({ data: [times], scales: {} })).toBeUndefined();
    expect(zoomedRange({ data: [times], scales: { x: { min: null, max: 350 } } })).toBeUndefined();
  });
});
