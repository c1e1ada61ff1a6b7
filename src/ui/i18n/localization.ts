/**
 * The page's language: @lit/localize in runtime mode, so one build and one precache serve every
 * language and a change in Settings takes effect at once, without a reload. English is the
 * source; a language's messages (src/ui/i18n/locales/<code>.ts, built from the XLIFF catalogues
 * in xliff/) and the words of the layers below the UI load when that language is chosen, so the
 * first screen carries none of them.
 */
import { configureLocalization } from '@lit/localize';
import type { LanguageChoice } from '../../store/settings-import-types.ts';
import { allLocales, sourceLocale, targetLocales } from './locale-codes.ts';
import { setFormattingLocale } from './formatting-locale.ts';
import { useLayerWords } from './problem-text.ts';

export type Language = (typeof allLocales)[number];

/** Each language in its own name: a person looking for theirs reads it, whatever the page's language. */
export const LANGUAGE_NAMES: Readonly<Record<Language, string>> = {
  en: 'English',
  da: 'Dansk',
  de: 'Deutsch',
  nl: 'Nederlands',
  sv: 'Svenska',
};

const { getLocale, setLocale } = configureLocalization({
  sourceLocale,
  targetLocales,
  loadLocale: async (locale) => {
    const [messages, layer] = await Promise.all([
      import(`./locales/${locale}.ts`) as Promise<typeof import('./locales/de.ts')>,
      import('./layer-words.generated.ts'),
    ]);
    useLayerWords(layer.LAYER_WORDS);
    return messages;
  },
});

export { getLocale };

/** The language for a choice: 'auto' takes the first of the browser's languages we speak, else English. */
export function languageFor(choice: LanguageChoice, browserLanguages: readonly string[]): Language {
  if (choice !== 'auto') return choice;
  for (const tag of browserLanguages) {
    const primary = tag.toLowerCase().split('-')[0];
    const found = allLocales.find((l) => l === primary);
    if (found) return found;
  }
  return sourceLocale;
}

/** localStorage, or nothing where merely touching it throws (some sandboxed frames). */
function storageOrNothing(): Storage | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined;
  }
}

/** Where the page keeps its language for the next start, read before the stored settings arrive. */
const REMEMBERED = 'kmp-language';

/** The choice remembered from last time, so a chosen language shows from the first paint, not after the store opens. */
export function rememberedChoice(storage: Pick<Storage, 'getItem'> | undefined): LanguageChoice {
  let v: string | null | undefined;
  try {
    v = storage?.getItem(REMEMBERED);
  } catch {
    return 'auto'; // storage switched off: the stored settings bring the choice a moment later
  }
  return v === 'en' || v === 'da' || v === 'de' || v === 'nl' || v === 'sv' ? v : 'auto';
}

/**
 * Puts the page into the language of `choice`: loads its messages, sets the lang attribute (a
 * screen reader reads German as German) and the locale of numbers and dates. Resolves when the
 * page speaks it; a language whose messages fail to load leaves the page in the one it had.
 */
export async function applyLanguage(
  choice: LanguageChoice,
  env: { languages: readonly string[]; document?: Document; storage?: Pick<Storage, 'setItem'> } = {
    languages: navigator.languages,
    document,
    storage: storageOrNothing(),
  },
): Promise<Language> {
  const language = languageFor(choice, env.languages);
  try {
    env.storage?.setItem(REMEMBERED, choice);
  } catch {
    // Storage may be off (a private window); the stored settings still carry the choice.
  }
  await setLocale(language);
  const browser = env.languages.find((tag) => tag.toLowerCase().split('-')[0] === language);
  setFormattingLocale(browser ?? language);
  if (env.document) {
    env.document.documentElement.lang = language;
    // Seen in Chromium: now and then the shell kept its first, English render although the locale
    // had loaded. Asking it to draw again once the language is in place costs one render.
    (env.document.querySelector('kmp-app') as { requestUpdate?: () => void } | null)?.requestUpdate?.();
  }
  return language;
}

/**
 * Keeps the page in the chosen language: the one remembered from last time at once (before the
 * stored settings arrive, so there is no flash of English), then every change of the setting.
 */
export function followLanguage(settings: {
  values: { language: LanguageChoice };
  subscribe(listener: (v: { language: LanguageChoice }) => void): () => void;
}): () => void {
  let applied = rememberedChoice(storageOrNothing());
  void applyLanguage(applied).catch(() => undefined);
  return settings.subscribe((v) => {
    if (v.language === applied) return;
    applied = v.language;
    void applyLanguage(applied).catch(() => undefined);
  });
}
