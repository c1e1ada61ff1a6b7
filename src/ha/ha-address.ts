/**
 * The Home Assistant address a person types, and the browser's rules that stand in the way of
 * reaching it, said before anything is tried (browsers hide why a WebSocket failed).
 */
import { addressSpace } from '../mqtt/network-rules.ts';
import type { Words } from '../kmp/words.ts';
import { HaError, haWords } from './ha-error.ts';

/**
 * "homeassistant.local:8123", "http://192.168.1.5:8123/lovelace/0" or "wss://ha.example.com"
 * → the base address HA's client wants ("http://homeassistant.local:8123"). Paths, queries and a
 * token pasted into the address are dropped: a token never travels in a URL.
 */
export function haBaseUrl(text: string): string {
  let t = text.trim();
  if (!t) throw new HaError('address', haWords('ha.address.empty'));
  if (!/^[a-z][a-z\d+.-]*:\/\//i.test(t)) t = `http://${t}`;
  let url: URL;
  try {
    url = new URL(t);
  } catch {
    throw new HaError('address', haWords('ha.address.invalid', { text: text.trim() }));
  }
  const protocol = { 'http:': 'http:', 'ws:': 'http:', 'https:': 'https:', 'wss:': 'https:' }[url.protocol];
  if (!protocol) throw new HaError('address', haWords('ha.address.protocol', { protocol: url.protocol }));
  return `${protocol}//${url.host}`;
}

/** A warning to show before connecting (Chrome will ask first), or undefined. Throws what the browser will block. */
export function haNetworkCheck(baseUrl: string, pageUrl: string): Words | undefined {
  const ha = new URL(baseUrl);
  const page = new URL(pageUrl);
  const haSpace = addressSpace(ha.hostname);
  const pageSpace = addressSpace(page.hostname);
  const ipOrLocal = /^[\d.]+$|:|\.local$/i.test(ha.hostname.replace(/^\[|\]$/g, ''));
  if (page.protocol === 'https:' && ha.protocol === 'http:' && haSpace !== 'loopback') {
    if (haSpace === 'private' && ipOrLocal && pageSpace === 'public') return haWords('ha.network.plain-http-local');
    throw new HaError(
      'mixed-content',
      haWords('ha.mixed-content', { host: ha.host }),
      haWords('ha.mixed-content.advice'),
    );
  }
  if (pageSpace === 'public' && haSpace !== 'public') return haWords('ha.network.local', { host: ha.host });
  return undefined;
}
