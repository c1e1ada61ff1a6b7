/**
 * What the layers below the UI say to the person (a Problem's words, src/kmp/words.ts), in the
 * page's language. English needs nothing loaded: the words carry it. Another language's wording
 * (layer-words.generated.ts, msg() calls made from the layers' sentences by scripts/i18n-words.ts)
 * loads with that language's messages; until then, and for an id it does not know, the English stands.
 */
import { errorText } from '../../kmp/error-text.ts';
import { formattingLocale } from './formatting-locale.ts';
import { fill, isWords, type Words } from '../../kmp/words.ts';

/** A count or measure in a sentence: the page's decimal separator, no grouping (as the meter's values). */
function formatNumber(n: number): string {
  return new Intl.NumberFormat(formattingLocale(), { useGrouping: false, maximumFractionDigits: 20 }).format(n);
}

type Wording = (params: Readonly<Record<string, string>>) => string;

let wordings: Readonly<Record<string, Wording>> | undefined;

/** Called when a language's messages are loaded (localization.ts). */
export function useLayerWords(all: object): void {
  wordings = all as Readonly<Record<string, Wording>>;
}

/** Words in the page's language; parameters that are words themselves are worded first. */
export function wordsText(w: Words): string {
  const wording = wordings?.[w.id];
  if (!wording) return fill(w, w.en, wordsText);
  const params: Record<string, string> = {};
  for (const [name, p] of Object.entries(w.params ?? {}))
    params[name] = typeof p === 'object' ? wordsText(p) : typeof p === 'number' ? formatNumber(p) : p;
  return wording(params);
}

/** A Problem's sentence and what to try, in the page's language; anything else as errorText says it. */
export function problemParts(e: unknown): { message: string; advice?: string } {
  if (typeof e === 'object' && e !== null) {
    const {
      words,
      adviceWords,
      advice,
      detail,
      message: english,
    } = e as {
      words?: unknown;
      adviceWords?: unknown;
      advice?: unknown;
      detail?: unknown;
      message?: unknown;
    };
    if (isWords(words)) {
      // The technical detail a layer adds in brackets (bytes, the browser's words) is English: it
      // stands beside English words only. In another language the frame log still has it.
      const bracketed =
        typeof detail === 'string' &&
        detail &&
        english === `${fill(words)} (${detail})` &&
        wordings?.[words.id] === undefined;
      const message = wordsText(words) + (bracketed ? ` (${detail})` : '');
      const adviceText = isWords(adviceWords)
        ? wordsText(adviceWords)
        : typeof advice === 'string'
          ? advice
          : undefined;
      return adviceText ? { message, advice: adviceText } : { message };
    }
  }
  const text = errorText(e);
  return { message: text };
}

/** problemParts as one sentence, the way errorText joins message and advice. */
export function problemText(e: unknown): string {
  const { message, advice } = problemParts(e);
  return advice ? `${message} ${advice}` : message;
}

/**
 * Anything a layer below hands the UI to show, in the page's language: words, a Problem or other
 * error, or a string (said as it is: a name, a number, the browser's own words).
 */
export function say(x: unknown): string {
  if (typeof x === 'string') return x;
  if (isWords(x)) return wordsText(x);
  return problemText(x);
}
