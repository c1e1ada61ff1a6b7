/**
 * What the app layer hands the UI is words (src/kmp/words.ts), never a bare English sentence: the
 * UI says them in the reader's language, and their English is still the sentence of before.
 */
import { describe, expect, it } from 'vitest';
import { APP_SENTENCES, problemWords } from '../../src/app/app-words.ts';
import { historyChangedText } from '../../src/app/history-check.ts';
import { LAYER_SENTENCE_GROUPS } from '../../src/app/layer-sentences.ts';
import { downloadLoggerAndKeep } from '../../src/app/meter-operations.ts';
import { Notices } from '../../src/app/notices.ts';
import { mqttBadgeText, type PublishingView } from '../../src/app/publishing-control.ts';
import { StoragePersistence } from '../../src/app/storage-persistence.ts';
import { HA_SENTENCES } from '../../src/ha/ha-error.ts';
import { errorText } from '../../src/kmp/error-text.ts';
import { LOGGER_TYPE, loggerName, type RegisterValue } from '../../src/kmp/index.ts';
import { fill, isWords, placeholders, type Words } from '../../src/kmp/words.ts';
import { LinkError } from '../../src/link/index.ts';

const value = (id: number, decimal: string, unit: string): RegisterValue => ({
  id,
  unitCode: 0,
  unit,
  value: Number(decimal),
  decimal,
});

describe('the app’s words', () => {
  it('a notice is words, framed by where it happened, with the English of before', () => {
    const notices = new Notices();
    const said: Words[] = [];
    notices.subscribe((w) => said.push(w));
    notices.report(new Error('disk gone'), 'app.notice.station');
    notices.report(new LinkError('no-answer'));
    expect(said.every(isWords)).toBe(true);
    expect(said[0]).toMatchObject({ id: 'app.notice.station' });
    expect(fill(said[0]!)).toBe('Station: disk gone');
    // A failure with words keeps them (its sentence and what to try), for the UI to translate.
    expect(fill(said[1]!)).toBe(errorText(new LinkError('no-answer')));
    expect(said[1]!.params).toMatchObject({
      message: { id: 'link.no-answer' },
      advice: { id: 'link.no-answer.advice' },
    });
  });

  it('a failure’s words, detail and advice included, say what errorText says', () => {
    const e = new LinkError('bad-crc', 'CRC 0x1234');
    expect(fill(problemWords(e))).toBe(errorText(e));
    expect(fill(problemWords('a thrown string'))).toBe('a thrown string');
    expect(fill(problemWords(undefined))).toBe(errorText(undefined));
  });

  it('a download outcome: the changed history, and a download that cannot start, in words', async () => {
    const stored = { serial: 1, logger: LOGGER_TYPE.month, id: 7, time: '2026-01-01T00:00:00', readAt: 0 };
    const changed = historyChangedText(
      loggerName(LOGGER_TYPE.month),
      { ...stored, values: [value(60, '100.0', 'GJ')] },
      { logger: LOGGER_TYPE.month, id: 7, time: '2026-01-01T00:00:00', values: [value(60, '0.2', 'GJ')] },
    );
    expect(changed.id).toBe('app.history-changed');
    expect(fill(changed)).toBe(
      "The meter's history changed: entry 7 of the monthly log is not what was downloaded before (register 60: 100.0 GJ here, 0.2 GJ now). A replaced or reset meter, or the head on another meter, does this. Nothing of this download was stored; both versions are kept with the meter, and the entries already here are unchanged.",
    );
    const restamped = historyChangedText(
      'monthly',
      { ...stored, values: [] },
      { logger: LOGGER_TYPE.month, id: 7, time: '2026-01-02T00:00:00', values: [] },
    );
    expect(fill(restamped)).toContain('(stamped 2026-01-01T00:00:00 here, 2026-01-02T00:00:00 now)');

    const refused = await downloadLoggerAndKeep(
      { identity: undefined, readLogger: () => Promise.reject(new Error('not asked')) },
      Promise.resolve(undefined),
      LOGGER_TYPE.month,
      [60],
    ).catch((e: unknown) => e);
    expect(refused).toMatchObject({
      message: 'Storage is not available, so a download would be lost.',
      words: { id: 'app.download.no-storage' },
    });
  });

  it('the storage persistence text is words with its English of before', () => {
    const { text } = new StoragePersistence(undefined).view;
    expect(text.id).toBe('app.persistence.unsupported');
    expect(fill(text)).toBe(
      'This browser cannot be asked to keep the readings permanently: it may delete them when the disk runs full.',
    );
  });

  it('the header’s MQTT line is one sentence with the state in it', () => {
    const view = {
      settings: { enabled: true, url: 'ws://10.0.0.2:9001' },
      otherTabPublishes: false,
      outbox: 3,
      status: { connection: { kind: 'connected' } },
    } as unknown as PublishingView;
    expect(fill(mqttBadgeText(view))).toBe('MQTT 10.0.0.2:9001: Connected to the broker · 3 waiting');
  });

  it('every sentence of the app and Home Assistant is listed for translation, its placeholders named', () => {
    expect(LAYER_SENTENCE_GROUPS.app).toBe(APP_SENTENCES);
    expect(LAYER_SENTENCE_GROUPS.ha).toBe(HA_SENTENCES);
    for (const [id, en] of Object.entries({ ...APP_SENTENCES, ...HA_SENTENCES })) {
      expect(id).toMatch(/^(app|ha)\./);
      // Braces only as placeholders: a stray one would reach the reader as it is.
      expect(en.replace(/\{[a-zA-Z][a-zA-Z0-9]*\}/g, ''), id).not.toMatch(/[{}]/);
      expect(placeholders(en).length, id).toBeLessThanOrEqual(8);
    }
  });
});
