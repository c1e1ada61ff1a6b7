/**
 * Reads the history chart's series (KmpStore.series): loaded with the first chart rather than
 * with the first screen, which draws none.
 */
import type { IDBPDatabase } from 'idb';
import { implausibleReason, type RegisterValue } from '../kmp/index.ts';
import { hoursRange, readingsOf } from './reading-hours.ts';
import { hourOf, HOUR_MS } from './rollup.ts';
import type { KmpDb, StoredReading } from './schema.ts';
import { SeriesBuilder, widen, type Series, type UnitValue } from './series.ts';

export interface SeriesRequest {
  serial: number;
  ids: readonly number[];
  from: number;
  to: number;
  maxPoints: number;
  /** Readings in the range (KmpStore.countReadings). */
  total: number;
}

/** See KmpStore.series. */
export async function readSeries(db: IDBPDatabase<KmpDb>, q: SeriesRequest): Promise<Series> {
  const { serial, ids, from, to, maxPoints, total } = q;
  // Two points a bucket (its minimum and its maximum), so at most maxPoints points.
  const buckets = Math.max(1, Math.floor(maxPoints / 2));
  const perBucket = Math.max(1, Math.ceil(total / buckets));
  // When a bucket would span half an hour or more, draw from the hourly rollups: a year is
  // ~9,000 rows instead of ~500,000, 30 days 720 instead of 43,200, at a resolution the chart
  // cannot show anyway. The edge hours may include readings just outside the range.
  if (perBucket > 1 && (to - from) / buckets >= HOUR_MS / 2) return seriesFromRollups(db, q, buckets);
  const out = new SeriesBuilder(ids);
  let bucket: StoredReading[] = [];
  const flush = () => {
    if (!bucket.length) return;
    if (perBucket === 1) for (const r of bucket) out.add(r.takenAt, chartable(r.values));
    else {
      const envelope = new Map<string, UnitValue & { max: number }>();
      for (const r of bucket) for (const v of chartable(r.values)) widen(envelope, v);
      out.addEnvelope(bucket[0]!.takenAt, bucket[bucket.length - 1]!.takenAt, envelope);
    }
    bucket = [];
  };
  // One hour record at a time: memory stays bounded whatever the range.
  const hours = db.transaction('readingHours').store;
  for (let c = await hours.openCursor(hoursRange(serial, from, to)); c; c = await c.continue())
    for (const r of readingsOf(c.value, from, to)) {
      bucket.push(r);
      if (bucket.length >= perBucket) flush();
    }
  flush();
  return out.build(total);
}

async function seriesFromRollups(db: IDBPDatabase<KmpDb>, q: SeriesRequest, buckets: number): Promise<Series> {
  const { serial, ids, from, to, total } = q;
  const hours = await db.getAll('hourly', IDBKeyRange.bound([serial, hourOf(from)], [serial, to]));
  const perBucket = Math.max(1, Math.ceil(hours.length / buckets));
  const out = new SeriesBuilder(ids);
  for (let i = 0; i < hours.length; i += perBucket) {
    const group = hours.slice(i, i + perBucket);
    const envelope = new Map<string, UnitValue & { max: number }>();
    for (const h of group) for (const v of Object.values(h.values)) widen(envelope, { ...v, value: v.min }, v.max);
    out.addEnvelope(group[0]!.first, group[group.length - 1]!.last, envelope);
  }
  return out.build(total);
}

/** What a chart may draw: a stored value no meter can produce (kept as it came) is left out, as in the rollups. */
function chartable(values: readonly RegisterValue[]): RegisterValue[] {
  return values.filter((v) => implausibleReason(v) === undefined);
}
