/**
 * How the UI words what the layers below say: English from the words themselves, another
 * language from the loaded wordings, nested words and numbers in the page's way, a Problem's
 * bracketed technical detail kept as it came.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { LinkError, wentQuiet } from '../../../src/link/link-error.ts';
import { problemParts, problemText, say, useLayerWords, wordsText } from '../../../src/ui/i18n/problem-text.ts';
import { setFormattingLocale } from '../../../src/ui/i18n/formatting-locale.ts';
import { languageFor, rememberedChoice } from '../../../src/ui/i18n/localization.ts';

afterEach(() => {
  useLayerWords({});
  setFormattingLocale(undefined);
});

describe('problem text', () => {
  it('says English from the words alone, parameters filled', () => {
    const e = wentQuiet(new LinkError('no-answer'), 0, 5 * 60_000);
    expect(problemParts(e)).toEqual({ message: e.message, advice: e.advice });
    expect(e.message).toBe('The meter has stopped answering (its last answer was 5 minutes ago).');
  });

  it('words a Problem in the loaded language, nested words and numbers too, without the English detail', () => {
    useLayerWords({
      'link.bad-crc': () => 'Die Antwort war beschädigt.',
      'link.bad-crc.advice': () => 'Kopf neu ansetzen.',
      'link.went-quiet': (p: { ago: string }) => `Der Zähler antwortet nicht mehr (zuletzt ${p.ago}).`,
      'link.ago.minutes': (p: { minutes: string }) => `vor ${p.minutes} Minuten`,
      'link.overrun.slow': (p: { seconds: string }) => `Nicht fertig nach ${p.seconds} s.`,
    });
    setFormattingLocale('de-DE');
    expect(problemParts(new LinkError('bad-crc', 'CRC 0x1234'))).toEqual({
      message: 'Die Antwort war beschädigt.',
      advice: 'Kopf neu ansetzen.',
    });
    expect(problemParts(wentQuiet(new LinkError('no-answer'), 0, 12 * 60_000)).message).toBe(
      'Der Zähler antwortet nicht mehr (zuletzt vor 12 Minuten).',
    );
    expect(wordsText({ id: 'link.overrun.slow', en: '…{seconds} s', params: { seconds: 21.3 } })).toBe(
      'Nicht fertig nach 21,3 s.',
    );
  });

  it('keeps English for an id the language does not know, and for anything that is not words', () => {
    useLayerWords({});
    expect(problemParts(new LinkError('bad-crc', 'CRC 0x1234')).message).toMatch(/discarded\. \(CRC 0x1234\)$/);
    expect(problemText(new LinkError('closed'))).toBe(
      'The connection was closed before the request finished. Connect again.',
    );
    expect(say('COM3')).toBe('COM3');
    expect(say(new Error('Failed to open serial port.'))).toBe('Failed to open serial port.');
    expect(say({ id: 'x.y', en: 'Left {n}', params: { n: 3 } })).toBe('Left 3');
  });
});

describe('language choice', () => {
  it('follows the first browser language it speaks, else English; a choice wins', () => {
    expect(languageFor('auto', ['fr-FR', 'de-AT', 'en'])).toBe('de');
    expect(languageFor('auto', ['nl-BE'])).toBe('nl');
    expect(languageFor('auto', ['fr-FR', 'es'])).toBe('en');
    expect(languageFor('auto', [])).toBe('en');
    expect(languageFor('sv', ['de-DE'])).toBe('sv');
  });

  it('remembers only a language it speaks', () => {
    expect(rememberedChoice({ getItem: () => 'da' })).toBe('da');
    expect(rememberedChoice({ getItem: () => 'fr' })).toBe('auto');
    expect(rememberedChoice({ getItem: () => null })).toBe('auto');
    expect(
      rememberedChoice({
        getItem: () => {
          throw new Error('SecurityError');
        },
      }),
    ).toBe('auto');
    expect(rememberedChoice(undefined)).toBe('auto');
  });
});
