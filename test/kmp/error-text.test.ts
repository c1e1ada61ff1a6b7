import { describe, expect, it } from 'vitest';
import { errorText } from '../../src/kmp/error-text.ts';
import { KmpError, type Problem } from '../../src/kmp/errors.ts';

describe('errorText', () => {
  it('says the message, and the advice after it when there is some', () => {
    expect(errorText(new Error('The disk failed.'))).toBe('The disk failed.');
    const withAdvice = Object.assign(new Error('The meter did not answer.'), { advice: 'Re-seat the head.' });
    expect(errorText(withAdvice)).toBe('The meter did not answer. Re-seat the head.');
    const problem: Problem = { kind: 'x', message: 'Broker gone.', advice: 'Try later.' };
    expect(errorText(problem)).toBe('Broker gone. Try later.');
  });

  it('leaves out advice that is blank or not text', () => {
    expect(errorText({ message: 'M.', advice: '  ' })).toBe('M.');
    expect(errorText({ message: 'M.', advice: 3 })).toBe('M.');
  });

  it('falls back to the name of an error without a message', () => {
    expect(errorText({ message: '  ', name: 'AbortError' })).toBe('AbortError');
    expect(errorText({ message: 4, name: 'AbortError', advice: 'A.' })).toBe('AbortError A.');
  });

  it('says a thrown string as it is', () => {
    expect(errorText('busy')).toBe('busy');
  });

  it('says a sentence, never "undefined", for a value that tells nothing', () => {
    const sentence = 'Something went wrong, and it did not say what.';
    for (const v of [undefined, null, 42, '', '   ', {}, { message: '', name: '' }, { message: 1, name: 2 }])
      expect(errorText(v)).toBe(sentence);
  });
});

describe('KmpError as a Problem', () => {
  it('names its kind by its code', () => {
    const e = new KmpError('crc', 'Bad checksum.');
    expect(e.kind).toBe('crc');
    expect(e.code).toBe('crc');
    const p: Problem = e;
    expect(p).toMatchObject({ kind: 'crc', message: 'Bad checksum.' });
    expect(p.advice).toBeUndefined();
  });
});
