import { describe, expect, it } from 'vitest';
import {
  ANDROID_HEAD_NOTE,
  SerialAccessError,
  checkSerialSupport,
  onAndroid,
  serialAccessText,
} from '../../src/link/index.ts';
import { fill } from '../../src/kmp/words.ts';

const PIXEL =
  'Mozilla/5.0 (Linux; Android 15; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/148.0.0.0 Mobile Safari/537.36';
const LAPTOP = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/148.0.0.0 Safari/537.36';

describe('an empty port list on a phone', () => {
  it('tells Android apart from a computer', () => {
    expect(onAndroid({ userAgent: PIXEL })).toBe(true);
    expect(onAndroid({ userAgent: LAPTOP })).toBe(false);
    expect(onAndroid(undefined)).toBe(false);
  });

  it('explains on Android that only CDC-ACM heads show up, naming the usual chips', () => {
    const text = fill(serialAccessText(new SerialAccessError('cancelled'), true));
    expect(text).toContain('No port was chosen.');
    expect(text).toContain(ANDROID_HEAD_NOTE.en);
    expect(ANDROID_HEAD_NOTE.en).toMatch(/CDC-ACM.*FTDI.*CP210x.*CH34x.*PL2303.*WebUSB/s);
  });

  it('says nothing about Android on a computer, or for other failures', () => {
    expect(fill(serialAccessText(new SerialAccessError('cancelled'), false))).not.toContain('Android');
    expect(fill(serialAccessText(new SerialAccessError('busy'), true))).not.toContain('Android');
  });

  it('no longer claims that phones cannot use Web Serial', () => {
    const check = checkSerialSupport({ isSecureContext: true, navigator: {} });
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.message?.en).toMatch(/or Chrome on Android;/);
  });
});
