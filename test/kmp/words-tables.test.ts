/**
 * The codec's words (src/kmp/words-tables.ts): every id the UI can ask for is in KMP_SENTENCES,
 * which the catalogues are made from, and its English is the table's text, so that English pages,
 * logs and MQTT say exactly what they said before the words.
 */
import { describe, expect, it } from 'vitest';
import {
  INFO_CODE_SENTENCES,
  LIST_SENTENCES,
  LOGGER_INFO,
  LOGGER_SENTENCES,
  PLAUSIBILITY_SENTENCES,
  REGISTERS,
  REGISTER_SENTENCES,
  SUSPECT_SENTENCES,
  decodeInfoCode,
  fill,
  implausibleWords,
  infoFlagWords,
  loggerInfoWords,
  loggerInfoWordsOf,
  loggerName,
  loggerNameWords,
  loggerNounWords,
  registerLabelWords,
  suspectValueWords,
  type InfoTable,
  type RegisterValue,
  type Words,
} from '../../src/kmp/index.ts';
import { KMP_SENTENCES } from '../../src/kmp/words-tables.ts';

/** Fails unless `w` and every words nested in it are in KMP_SENTENCES with the same English. */
function expectKnown(w: Words): void {
  expect(KMP_SENTENCES[w.id], w.id).toBe(w.en);
  for (const p of Object.values(w.params ?? {})) if (typeof p === 'object') expectKnown(p);
}

describe('KMP_SENTENCES', () => {
  it('holds every table of the codec, no id twice', () => {
    const parts = [
      REGISTER_SENTENCES,
      LOGGER_SENTENCES,
      LIST_SENTENCES,
      PLAUSIBILITY_SENTENCES,
      SUSPECT_SENTENCES,
      INFO_CODE_SENTENCES,
    ];
    expect(Object.keys(KMP_SENTENCES)).toHaveLength(parts.reduce((n, p) => n + Object.keys(p).length, 0));
    for (const id of Object.keys(KMP_SENTENCES)) expect(id).toMatch(/^kmp\./);
  });
});

describe('register labels', () => {
  it.each(REGISTERS.map((r) => [r.id, r.label] as const))('register %i: %s', (id, label) => {
    const w = registerLabelWords(id);
    expect(w.id).toBe(`kmp.register.${id}.label`);
    expect(w.en).toBe(label);
    expectKnown(w);
  });

  it('names a register the catalogue does not know by its id', () => {
    const w = registerLabelWords(9999);
    expectKnown(w);
    expect(fill(w)).toBe('Register 9999');
  });
});

describe('logger names', () => {
  const names = ['info-code', 'yearly', 'monthly', 'daily', 'hourly', 'first minute', 'second minute'];
  it.each(names.map((name, i) => [i + 1, name] as const))('logger %i: %s', (type, name) => {
    expect(loggerName(type)).toBe(name);
    expect(loggerNameWords(type)).toEqual({ id: `kmp.logger.${type}`, en: name });
    expect(loggerNounWords(type)).toEqual({ id: `kmp.logger.${type}.noun`, en: `${name} logger` });
    expectKnown(loggerNameWords(type));
    expectKnown(loggerNounWords(type));
  });

  it('names one without a name by its number', () => {
    expect(loggerName(9)).toBe('number 9');
    expect(fill(loggerNounWords(9))).toBe('number 9 logger');
    expectKnown(loggerNameWords(9));
    expectKnown(loggerNounWords(9));
  });
});

describe('logger info flags', () => {
  it('words every flag, the unknown bits and none', () => {
    for (const bit of Object.values(LOGGER_INFO)) expectKnown(loggerInfoWordsOf(bit));
    expect(loggerInfoWords(LOGGER_INFO.memoryError | 0x4000)).toBe('memory error, flags 0x4000');
    expect(loggerInfoWords(LOGGER_INFO.empty | LOGGER_INFO.oldestIncluded | LOGGER_INFO.newestIncluded)).toBe(
      'no entries, oldest entry included, newest entry included',
    );
    expect(loggerInfoWords(0)).toBe('no flags');
    expectKnown(loggerInfoWordsOf(0xffff));
    expectKnown(loggerInfoWordsOf(0));
  });
});

describe('info codes', () => {
  const models: Record<InfoTable, string> = { '403': '403', '603': '603', '602': '602' };
  const bits = Array.from({ length: 32 }, (_, i) => 2 ** i);

  it.each(Object.entries(models) as [InfoTable, string][])('every row of the %s table', (table, model) => {
    let rows = 0;
    for (const bit of bits) {
      const [flag] = decodeInfoCode(bit, model).flags;
      if (!flag) {
        expect(infoFlagWords(table, bit)).toBeUndefined();
        continue;
      }
      rows++;
      const text = infoFlagWords(table, flag)!;
      const hint = infoFlagWords(table, flag, 'hint')!;
      expect(text.en).toBe(flag.text);
      expect(hint.en).toBe(flag.hint);
      expect(text).toEqual(flag.textWords);
      expect(hint).toEqual(flag.hintWords);
      expect(text.id).toMatch(/^kmp\.info\.(403|603|602)\.\d+\.text$/);
      expectKnown(text);
      expectKnown(hint);
    }
    expect(rows).toBeGreaterThanOrEqual(15);
  });

  it('words the 403 rows the 603 shares under the 403', () => {
    expect(infoFlagWords('603', 8)?.id).toBe('kmp.info.403.8.text');
    expect(infoFlagWords('603', 0x10000)?.id).toBe('kmp.info.603.65536.text');
    expect(infoFlagWords('602', 8)?.id).toBe('kmp.info.602.8.text');
  });

  it.each([
    [0, '403'],
    [8, '403'],
    [8 | 16 | 64, '603'],
    [8 | 0x400, '403'],
    [4, '403'],
    [8, '402'],
    [4, '402'],
    [8, '21'],
    [0x80000000 + 1, '603'],
    [256 | 1, '602'],
  ] as const)('the summary of %i on a %s is its English', (raw, model) => {
    const d = decodeInfoCode(raw, model);
    expect(fill(d.summaryWords)).toBe(d.summary);
    expectKnown(d.summaryWords);
  });

  it('keeps the English summary as it was', () => {
    expect(decodeInfoCode(8 | 0x400, '403').summary).toBe(
      't1 above measuring range or disconnected; plus 1 unknown bit(s).',
    );
    expect(decodeInfoCode(8 | 16, '402').summary).toBe(
      't1 above measuring range or disconnected; t2 above measuring range or disconnected. (Meanings from the MULTICAL 403 table: not verified for this model.)',
    );
    expect(decodeInfoCode(0, '403').summary).toBe('No irregularities.');
  });
});

describe('plausibility and suspect values', () => {
  const value = (id: number, unit: string, decimal: string, unitCode = 0): RegisterValue => ({
    id,
    unit,
    unitCode,
    decimal,
    value: Number(decimal),
  });

  it('words why a value cannot be, and why it looks like a sensor error', () => {
    const impossible = implausibleWords(value(0x3c, 'GJ', '1000000000'))!;
    expectKnown(impossible);
    expect(fill(impossible)).toBe(
      'Heat energy E1 reads 1000000000 GJ, above 100000000 GJ: outside what an energy register can hold',
    );
    expectKnown(implausibleWords({ ...value(0x56, '°C', '1'), value: NaN })!);
    const suspects = suspectValueWords([value(0x56, '°C', '0', 37), value(0x57, '°C', '185', 37)]);
    expect(suspects.size).toBe(2);
    for (const w of suspects.values()) expectKnown(w);
  });
});
