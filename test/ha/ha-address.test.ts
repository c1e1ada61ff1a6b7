/**
 * The Home Assistant address a person types, and what the browser will do with it, said before
 * connecting (src/ha/ha-address.ts).
 */
import { describe, expect, it } from 'vitest';
import { haBaseUrl, haNetworkCheck } from '../../src/ha/ha-address.ts';
import { HaError } from '../../src/ha/ha-error.ts';
import { fill } from '../../src/kmp/words.ts';

/** The warning's English, or undefined when there is none. */
const warning = (baseUrl: string, pageUrl: string) => {
  const w = haNetworkCheck(baseUrl, pageUrl);
  return w && fill(w);
};

describe('haBaseUrl', () => {
  it.each([
    ['homeassistant.local:8123', 'http://homeassistant.local:8123'],
    ['http://192.168.1.5:8123/lovelace/0?edit=1', 'http://192.168.1.5:8123'],
    ['wss://ha.example.com/api/websocket', 'https://ha.example.com'],
    ['  https://ha.example.com  ', 'https://ha.example.com'],
  ])('%s → %s', (typed, base) => expect(haBaseUrl(typed)).toBe(base));

  it('drops a token pasted into the address: it never travels in a URL', () => {
    expect(haBaseUrl('http://ha.local:8123/?token=abc#x')).toBe('http://ha.local:8123');
  });

  it.each([
    ['', /Enter the address/],
    ['mqtt://broker:1883', /over http:\/\/ or https:\/\/, not mqtt:/],
    ['http://', /is not an address/],
  ])('refuses “%s” in words', (typed, words) => {
    const e = (() => {
      try {
        haBaseUrl(typed);
      } catch (err) {
        return err;
      }
    })();
    expect(e).toBeInstanceOf(HaError);
    expect((e as HaError).message).toMatch(words);
  });
});

describe('haNetworkCheck', () => {
  it('blocks plain http to a host name from an https page (mixed content)', () => {
    expect(() => haNetworkCheck('http://homeassistant.lan:8123', 'https://kmp.example.com/')).toThrow(
      expect.objectContaining({ kind: 'mixed-content', message: expect.stringMatching(/mixed content/) }),
    );
  });

  it('warns of Chrome’s local-network prompt for an IP address or .local name from a public https page', () => {
    expect(warning('http://192.168.1.5:8123', 'https://kmp.example.com/')).toMatch(/local network access/);
    expect(warning('https://homeassistant.local:8123', 'https://kmp.example.com/')).toMatch(/local network access/);
  });

  it('says nothing when page and Home Assistant are on the same network or HA is public over https', () => {
    expect(haNetworkCheck('http://192.168.1.5:8123', 'http://localhost:5173/')).toBeUndefined();
    expect(warning('http://127.0.0.1:8123', 'https://kmp.example.com/')).toMatch(/local network/);
    expect(haNetworkCheck('https://ha.example.com', 'https://kmp.example.com/')).toBeUndefined();
  });
});
