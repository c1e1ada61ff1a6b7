import { errorText } from '../kmp/error-text.ts';

/**
 * Sentences about something that went wrong outside any page: a reading that could not be
 * stored, storage that another tab upgraded, publishing that could not start. The shell shows
 * the latest; tests read them. Nothing the app layer does fails silently where a person should know.
 */
export class Notices {
  private readonly listeners = new Set<(text: string) => void>();

  /** Calls back with each notice as it happens (not with earlier ones). */
  subscribe(listener: (text: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Says `text`, or what an error says, after `prefix` when one is given. */
  report(problem: unknown, prefix = ''): void {
    const text = prefix + errorText(problem);
    for (const l of this.listeners) l(text);
  }
}
