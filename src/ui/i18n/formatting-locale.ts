/**
 * The locale numbers and dates are written in, set when a language is applied
 * (localization.ts): the browser's own tag when it speaks the page's language (so de-AT keeps its
 * region), else the page's language. Before that, the browser's.
 */
let current: string | undefined;

export function formattingLocale(): string | undefined {
  return current ?? (typeof navigator !== 'undefined' ? navigator.language : undefined);
}

export function setFormattingLocale(locale: string | undefined): void {
  current = locale;
}
