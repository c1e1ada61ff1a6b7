import type { Words } from '../kmp/words.ts';
import { appWords, problemWords, type AppSentence } from './app-words.ts';

/** A notice's sentence that says where a problem happened: it has a `{problem}` for the problem's words. */
export type NoticeFrame = Extract<AppSentence, 'app.notice.station' | 'app.notice.publishing'>;

/**
 * Sentences about something that went wrong outside any page: a reading that could not be
 * stored, storage that another tab upgraded, publishing that could not start. The shell shows
 * the latest, in words it says in the page's language; tests read their English (`fill`).
 * Nothing the app layer does fails silently where a person should know.
 */
export class Notices {
  private readonly listeners = new Set<(said: Words) => void>();

  /** Calls back with each notice as it happens (not with earlier ones). */
  subscribe(listener: (said: Words) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Says words, or what an error says, within `frame` when one is given ("Station: …"). */
  report(problem: unknown, frame?: NoticeFrame): void {
    const said = problemWords(problem);
    const notice = frame ? appWords(frame, { problem: said }) : said;
    for (const l of this.listeners) l(notice);
  }
}
