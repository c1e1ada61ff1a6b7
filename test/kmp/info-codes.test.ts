import { describe, expect, it } from 'vitest';
import { KmpError, decodeInfoCode, infoCodeDisplay } from '../../src/kmp/index.ts';

describe('info codes', () => {
  it('0 means no irregularities', () => {
    const d = decodeInfoCode(0, '403');
    expect(d.summary).toBe('No irregularities.');
    expect(d.flags).toEqual([]);
    expect(d.hex).toBe('0x00000000');
  });

  it.each([
    [0x0002, /Low battery/],
    [0x0008, /t1 above/],
    [0x0010, /t2 above/],
    [0x0020, /t1 below/],
    [0x0040, /t2 below/],
    [0x0080, /temperature difference/],
    [0x0100, /Air/],
    [0x0200, /Wrong flow direction/],
    [0x0800, /above qs/],
    [0x1000, /Leakage.*A/],
  ])('403: bit 0x%s decodes', (bit, text) => {
    const d = decodeInfoCode(bit, '403');
    expect(d.flags).toHaveLength(1);
    expect(d.flags[0]!.text).toMatch(text);
    expect(d.flags[0]!.hint.length).toBeGreaterThan(10);
    expect(d.verified).toBe(true);
  });

  it('combined bits list every flag', () => {
    const d = decodeInfoCode(0x0008 | 0x0002 | 0x0100, 'MULTICAL 403');
    expect(d.flags.map((f) => f.bit)).toEqual([0x0002, 0x0008, 0x0100]);
    expect(d.summary).toMatch(/Low battery.*t1 above.*Air/);
  });

  it('603 decodes its high bits', () => {
    expect(decodeInfoCode(0x00100000, '603').flags[0]!.text).toMatch(/t3 above/);
    expect(decodeInfoCode(0x10000000, '803').flags[0]!.text).toMatch(/Burst/);
    expect(decodeInfoCode(0x00100000, '403').unknownBits).toEqual([0x00100000]);
  });

  // Regression: a decoder that ignores the model says "air" for a 602 leak.
  it('the same bit means different things on 602 and 403', () => {
    expect(decodeInfoCode(256, '602').flags[0]!.text).toMatch(/Leak in the heating system/);
    expect(decodeInfoCode(256, '403').flags[0]!.text).toMatch(/Air/);
  });

  it('a 402 gets the 403 table, marked unverified', () => {
    const d = decodeInfoCode(0x0008, '402');
    expect(d.table).toBe('403');
    expect(d.verified).toBe(false);
    expect(d.summary).toMatch(/not verified/);
  });

  it('unknown bits are listed, not hidden; an unknown model lists every bit raw', () => {
    expect(decodeInfoCode(0x0400 | 0x0002, '403').unknownBits).toEqual([0x0400]);
    const d = decodeInfoCode(0x0009);
    expect(d.table).toBeUndefined();
    expect(d.unknownBits).toEqual([1, 8]);
  });

  it('shows the display form the meter shows', () => {
    expect(infoCodeDisplay(0, '403')).toBe('00000000');
    expect(infoCodeDisplay(0x0008, '403')).toBe('01000000');
    expect(infoCodeDisplay(0x0002 | 0x0800, '403')).toBe('20006000');
    expect(infoCodeDisplay(0x0080, '403')).toBe('09900000');
    expect(infoCodeDisplay(8, '602')).toBeUndefined();
  });

  it.each([-1, 1.5, 2 ** 32, NaN])('refuses %s', (raw) => {
    expect(() => decodeInfoCode(raw, '403')).toThrow(KmpError);
  });

  it.each([
    ['403', '403', true],
    ['MULTICAL 603', '603', true],
    ['803', '603', true],
    ['303', '603', true],
    ['602', '602', true],
    ['601', '602', true],
    ['402', '403', false],
    ['21', undefined, false],
    ['no digits', undefined, false],
    [undefined, undefined, false],
  ])('model %j reads the %s table (verified %s)', (model, table, verified) => {
    const d = decodeInfoCode(1, model);
    expect(d.table).toBe(table);
    expect(d.verified).toBe(verified);
  });

  it('calls 0 verified wherever a table applies, even a guessed one', () => {
    expect(decodeInfoCode(0, '402').verified).toBe(true);
    expect(decodeInfoCode(0, '21').verified).toBe(false);
  });

  it('writes every summary in full', () => {
    expect(decodeInfoCode(0x0009, '21').summary).toBe(
      '2 bit(s) set; no info-code table is known for this model, so they are listed raw.',
    );
    expect(decodeInfoCode(0x0002 | 0x0008, '403').summary).toBe(
      'Low battery; t1 above measuring range or disconnected.',
    );
    expect(decodeInfoCode(0x0002 | 0x0400, '403').summary).toBe('Low battery; plus 1 unknown bit(s).');
    // Only bits the table does not know: a sentence of its own, not one starting with "; plus".
    expect(decodeInfoCode(0x0400 | 0x10000, '403').summary).toBe(
      '2 bit(s) set that the info-code table does not name.',
    );
    expect(decodeInfoCode(0x0002, '402').summary).toBe(
      'Low battery. (Meanings from the MULTICAL 403 table: not verified for this model.)',
    );
    expect(decodeInfoCode(0, '402').summary).toBe('No irregularities.');
  });

  it('writes the hex in upper case and takes the top bit', () => {
    const d = decodeInfoCode(0xffffffff, '21');
    expect(d.hex).toBe('0xFFFFFFFF');
    expect(d.unknownBits).toHaveLength(32);
    expect(d.unknownBits[31]).toBe(2 ** 31);
    expect(decodeInfoCode(0xab, '21').hex).toBe('0x000000AB');
  });

  it('keeps the display only where the table has one', () => {
    expect(decodeInfoCode(0x0008, '403').flags[0]!.display).toBe('d2=1');
    expect('display' in decodeInfoCode(0x40000, '603').flags[0]!).toBe(false);
  });

  it('shows the larger value where two conditions share a digit', () => {
    expect(infoCodeDisplay(0x2001, '403')).toBe('10000008');
    expect(infoCodeDisplay(0x8001, '403')).toBe('10000009');
    expect(infoCodeDisplay(0x40000 | 0x0008, '603')).toBe('01000000');
    expect(infoCodeDisplay(0x0008, 'MULTICAL 603')).toBe('01000000');
    expect(infoCodeDisplay(0x0008, '21')).toBeUndefined();
  });

  it.each([-1, 1.5, 2 ** 32, NaN])('names the refused info code %s', (raw) => {
    for (const fn of [() => decodeInfoCode(raw, '403'), () => infoCodeDisplay(raw, '403')]) {
      let error: unknown;
      try {
        fn();
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(KmpError);
      expect((error as KmpError).code).toBe('argument');
      expect((error as KmpError).message).toBe(`info code ${raw} is not a 32-bit unsigned integer`);
    }
  });
});
