import { decodeInfoCode } from '../../../kmp/index.ts';
import { say } from '../../i18n/problem-text.ts';
import type { EntryLike } from './consumption.ts';

/** One stretch of time with an info code set, in plain words. */
export interface InfoPeriod {
  from: string;
  /** When the meter logged the code cleared (or changed); undefined while it is still set. */
  until: string | undefined;
  code: number;
  /** What each set bit means, as the meter's info-code table says, in the page's language. */
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
    // Worded here, at render time: the timeline is made afresh for each drawing of the page.
    const meanings = decoded.flags.length ? decoded.flags.map((f) => say(f.textWords)) : [say(decoded.summaryWords)];
    out.push({ from: e.time, until: oldestFirst[i + 1]?.time, code, meanings });
  });
  return out;
}
