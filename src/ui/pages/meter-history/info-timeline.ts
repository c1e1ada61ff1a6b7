import { decodeInfoCode } from '../../../kmp/index.ts';
import type { EntryLike } from './consumption.ts';

/** One stretch of time with an info code set, in plain words. */
export interface InfoPeriod {
  from: string;
  /** When the meter logged the code cleared (or changed); undefined while it is still set. */
  until: string | undefined;
  code: number;
  /** What each set bit means, as the meter's info-code table says. */
  meanings: string[];
}

/**
 * The info logger as a timeline: each entry is a change of the info code; a non-zero code lasts
 * until the next entry. Oldest first.
 */
export function infoTimeline(entries: readonly EntryLike[], model?: string): InfoPeriod[] {
  const oldestFirst = [...entries].sort((a, b) => a.id - b.id);
  const out: InfoPeriod[] = [];
  oldestFirst.forEach((e, i) => {
    const code = e.values.find((v) => v.id === 99)?.value;
    if (code === undefined || code === 0 || !Number.isInteger(code) || code < 0) return;
    const decoded = decodeInfoCode(code, model);
    const meanings = decoded.flags.length ? decoded.flags.map((f) => f.text) : [decoded.summary];
    out.push({ from: e.time, until: oldestFirst[i + 1]?.time, code, meanings });
  });
  return out;
}
