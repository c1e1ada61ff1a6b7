import { REG_DATE, REG_DATE_TIME_DST, REG_TIME, type Reading, type RegisterValue } from '../kmp/index.ts';

/** RFC 4180: quote a field holding a comma, quote or line break, doubling inner quotes. */
function field(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export interface CsvOptions {
  /** Column names: the catalogue key ('energy', 'temp1' …) where the caller has one. */
  names?: (id: number) => string | undefined;
}

/**
 * Readings as CSV: `time` (ISO 8601, UTC) and one column per register, headed `name [unit]`,
 * with the exact decimals the meter sent. Lines end in CRLF. Yields chunks, so a year of
 * readings can be written out without one giant string.
 */
export function* readingsToCsv(
  readings: Iterable<Reading>,
  columns: ReadonlyArray<{ id: number; unit: string }>,
  options: CsvOptions = {},
): Generator<string> {
  const name = (id: number) => options.names?.(id) ?? `reg ${id}`;
  yield ['time', ...columns.map((c) => `${name(c.id)}${c.unit ? ` [${c.unit}]` : ''}`)].map(field).join(',') + '\r\n';
  let chunk = '';
  for (const r of readings) {
    const byId = new Map(r.values.map((v) => [v.id, v]));
    // A value in another unit than the column's (the meter was reconfigured) must not be mixed in.
    chunk +=
      [
        new Date(r.takenAt).toISOString(),
        ...columns.map((c) => (byId.get(c.id)?.unit === c.unit ? byId.get(c.id)!.decimal : '')),
      ]
        .map(field)
        .join(',') + '\r\n';
    if (chunk.length > 64_000) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}

/** The columns for a set of readings: every register present, in first-seen order, with its unit. */
export function csvColumns(readings: Iterable<Reading>): Array<{ id: number; unit: string }> {
  const seen = new Map<string, { id: number; unit: string }>();
  for (const r of readings)
    for (const v of r.values)
      if (!seen.has(`${v.id}|${v.unit}`)) seen.set(`${v.id}|${v.unit}`, { id: v.id, unit: v.unit });
  return [...seen.values()];
}

/** Registers whose content is the entry's time: shown in the `time` column, not as numbers. */
const TIME_REGISTERS: ReadonlySet<number> = new Set([REG_DATE_TIME_DST, REG_DATE, REG_TIME]);

/** The value columns for logger entries: every register but the time registers, in first-seen order, with its unit. */
export function loggerCsvColumns(
  entries: Iterable<{ values: readonly RegisterValue[] }>,
): Array<{ id: number; unit: string }> {
  const seen = new Map<string, { id: number; unit: string }>();
  for (const e of entries)
    for (const v of e.values)
      if (!TIME_REGISTERS.has(v.id) && !seen.has(`${v.id}|${v.unit}`))
        seen.set(`${v.id}|${v.unit}`, { id: v.id, unit: v.unit });
  return [...seen.values()];
}

/**
 * Logger entries as CSV, one row per entry: `id`, `time` (the meter's local time as it shows it,
 * ISO 8601 without a zone: the meter keeps none), `dst [min]` (the daylight saving in that time,
 * where register 348 says), then one column per register headed `name [unit]` with the exact
 * decimals. CRLF line ends; yields chunks.
 */
export function* loggerEntriesToCsv(
  entries: Iterable<{ id: number; time: string; values: readonly RegisterValue[] }>,
  columns: ReadonlyArray<{ id: number; unit: string }>,
  options: CsvOptions = {},
): Generator<string> {
  const name = (id: number) => options.names?.(id) ?? `reg ${id}`;
  yield (
    ['id', 'time', 'dst [min]', ...columns.map((c) => `${name(c.id)}${c.unit ? ` [${c.unit}]` : ''}`)]
      .map(field)
      .join(',') + '\r\n'
  );
  let chunk = '';
  for (const e of entries) {
    const byId = new Map(e.values.map((v) => [v.id, v]));
    const dst = byId.get(REG_DATE_TIME_DST)?.dstMinutes;
    chunk +=
      [
        String(e.id),
        e.time,
        dst === undefined ? '' : String(dst),
        ...columns.map((c) => (byId.get(c.id)?.unit === c.unit ? byId.get(c.id)!.decimal : '')),
      ]
        .map(field)
        .join(',') + '\r\n';
    if (chunk.length > 64_000) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}
