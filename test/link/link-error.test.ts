import { describe, expect, it } from 'vitest';
import type { MeterType, RegisterValue } from '../../src/kmp/index.ts';
import { LinkError, guessModel, infoModelOf } from '../../src/link/index.ts';
import { wentQuiet } from '../../src/link/link-error.ts';

describe('LinkError', () => {
  it('carries its kind, the sentence, the detail in brackets and the advice', () => {
    const e = new LinkError('bad-crc', 'CRC mismatch');
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('LinkError');
    expect(e.kind).toBe('bad-crc');
    expect(e.detail).toBe('CRC mismatch');
    expect(e.message).toBe(
      'The meter answered, but the reply was damaged on the way (checksum failed); it was discarded. (CRC mismatch)',
    );
    expect(e.advice).toBe(
      'Usually alignment or stray light: re-seat the head, shade it from daylight, and keep the cable still.',
    );
  });

  it('leaves the brackets out without a detail', () => {
    expect(new LinkError('closed').message).toBe('The connection was closed before the request finished.');
    expect(new LinkError('closed', '').message).toBe('The connection was closed before the request finished.');
  });

  it('takes words that fit the situation better', () => {
    const e = new LinkError('cut-off', 'x', {
      message: { id: 'test.slow', en: 'Too slow.' },
      advice: { id: 'test.wait', en: 'Wait.' },
    });
    expect(e.message).toBe('Too slow. (x)');
    expect(e.advice).toBe('Wait.');
  });
});

describe('wentQuiet', () => {
  const minute = 60_000;

  it.each([
    [0, 'less than a minute ago'],
    [minute - 1, 'less than a minute ago'],
    [minute, '1 minute ago'],
    [2 * minute - 1, '1 minute ago'],
    [2 * minute, '2 minutes ago'],
    [31 * minute + 5, '31 minutes ago'],
  ])('after %s ms of silence says "%s"', (silentMs, ago) => {
    const e = wentQuiet(new LinkError('no-answer', 'no reply in 1500 ms'), 1_000, 1_000 + silentMs);
    expect(e.kind).toBe('no-answer');
    expect(e.detail).toBe('no reply in 1500 ms');
    expect(e.message).toBe(`The meter has stopped answering (its last answer was ${ago}). (no reply in 1500 ms)`);
    expect(e.advice).toMatch(/^Its optical port has probably gone to sleep: /);
  });

  it('keeps the echo-only kind and says only our request came back', () => {
    const e = wentQuiet(new LinkError('echo-only'), 0, 3 * minute);
    expect(e.kind).toBe('echo-only');
    expect(e.message).toBe(
      'The meter has stopped answering (its last answer was 3 minutes ago). Only our own request came back.',
    );
  });
});

describe('guessModel', () => {
  const type = (typeCode: number): MeterType => ({ typeCode, typeHex: '', softwareRevision: undefined });
  const regs = (...ids: number[]) => ids.map((id) => ({ id }) as RegisterValue);

  it.each([
    ['the 402 type code', type(0x1101), regs(88), 'MULTICAL 402', 'type-code'],
    ['the 601 Pt100 type code of 5512-447', type(4), regs(88), 'MULTICAL 601', 'type-code'],
    ['t3', type(0x3603), regs(88), 'MULTICAL 603 or 803', 'registers'],
    ['V2', undefined, regs(69, 266), 'MULTICAL 603 or 803', 'registers'],
    ['register 155 alone', undefined, regs(155), 'MULTICAL 402', 'registers'],
    ['registers 155 and 266', undefined, regs(155, 266), 'MULTICAL 403 or 302', 'registers'],
    ['register 266', undefined, regs(266), 'MULTICAL 403 or 302', 'registers'],
    ['nothing telling', type(0x3403), regs(60, 99), undefined, 'unknown'],
  ])('%s', (_name, t, answered, model, basis) => {
    expect(guessModel(t, answered)).toEqual({ model, basis });
  });
});

describe('infoModelOf', () => {
  it.each([
    ['MULTICAL 402', '402'],
    ['MULTICAL 603 or 803', '603'],
    ['Kamstrup MULTICAL 403 or 302', '403'],
    ['MULTICAL 40', undefined],
    ['402', undefined],
    [undefined, undefined],
  ])('%j → %j', (model, info) => {
    expect(infoModelOf(model)).toBe(info);
  });
});
