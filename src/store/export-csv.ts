import type { Reading } from '../kmp/index.ts';

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
