/**
 * The Home Assistant address a person types, and the browser's rules that stand in the way of
 * reaching it, said before anything is tried (browsers hide why a WebSocket failed).
 */
import { addressSpace } from '../mqtt/network-rules.ts';
import { HaError } from './ha-error.ts';

/**
 * "homeassistant.local:8123", "http://192.168.1.5:8123/lovelace/0" or "wss://ha.example.com"
 * → the base address HA's client wants ("http://homeassistant.local:8123"). Paths, queries and a
 * token pasted into the address are dropped: a token never travels in a URL.
 */
export function haBaseUrl(text: string): string {
  let t = text.trim();
  if (!t)
    throw new HaError(
      'address',
      'Enter the address of your Home Assistant, for example http://homeassistant.local:8123.',
    );
  if (!/^[a-z][a-z\d+.-]*:\/\//i.test(t)) t = `http://${t}`;
  let url: URL;
  try {
    url = new URL(t);
  } catch {
    throw new HaError(
      'address',
      `“${text.trim()}” is not an address. Write it as in the browser, for example http://homeassistant.local:8123.`,
    );
  }
  const protocol = { 'http:': 'http:', 'ws:': 'http:', 'https:': 'https:', 'wss:': 'https:' }[url.protocol];
  if (!protocol)
    throw new HaError('address', `Home Assistant is reached over http:// or https://, not ${url.protocol}//.`);
  return `${protocol}//${url.host}`;
}

/** A warning to show before connecting (Chrome will ask first), or undefined. Throws what the browser will block. */
export function haNetworkCheck(baseUrl: string, pageUrl: string): string | undefined {
  const ha = new URL(baseUrl);
  const page = new URL(pageUrl);
  const haSpace = addressSpace(ha.hostname);
  const pageSpace = addressSpace(page.hostname);
  const ipOrLocal = /^[\d.]+$|:|\.local$/i.test(ha.hostname.replace(/^\[|\]$/g, ''));
  if (page.protocol === 'https:' && ha.protocol === 'http:' && haSpace !== 'loopback') {
    if (haSpace === 'private' && ipOrLocal && pageSpace === 'public')
      return `This page is https:// and Home Assistant is plain http://. Chrome allows that only for a local IP address or .local name, after you allow “local network access” when it asks. If it never asks or you denied it, use Home Assistant’s https:// address (for example its Nabu Casa or own certificate address).`;
    throw new HaError(
      'mixed-content',
      `This page is served over https://, so the browser blocks the unencrypted connection to Home Assistant at ${ha.host} (mixed content).`,
      'Use Home Assistant’s https:// address, its IP address or .local name, or open this app from your own network (npm start).',
    );
  }
  if (pageSpace === 'public' && haSpace !== 'public')
    return `Home Assistant at ${ha.host} is on your local network and this page is not: Chrome asks whether to allow “local network access”. Allow it, or the connection fails; if you denied it, change it in the site settings (the icon left of the address bar).`;
  return undefined;
}
