/**
 * The browser's rules for where a page may open a WebSocket, checked before connecting so the
 * person learns why a connection cannot work instead of seeing a bare "could not connect"
 * (browsers hide the reason of a failed WebSocket from the page).
 */
import { fill, words, type Sentences, type Words } from '../kmp/words.ts';

/** Why the browser will not let the page connect, or asks first, by id (src/kmp/words.ts). */
export const NETWORK_SENTENCES = {
  'mqtt.network.mixed-content-local':
    'This page is served over https:// and the broker uses plain ws://. Chrome allows that only for a local IP address or .local name, after you allow “local network access” when it asks. If no prompt appears or it was denied, use wss:// (for example port 8884 on the Home Assistant Mosquitto add-on) or open this app from your own network (npm start).',
  'mqtt.network.mixed-content':
    'This page is served over https://, so the browser blocks the unencrypted ws:// connection to {host} (mixed content). Use wss:// with a certificate the browser trusts (the Home Assistant Mosquitto add-on serves wss:// on port 8884), use the broker’s IP address or .local name, or open this app from http://localhost (npm start).',
  'mqtt.network.local':
    'The broker {host} is on your local network and this page is not. Chrome asks whether to allow “local network access”: allow it, or the connection fails. If you denied it, change it in the site settings (the icon left of the address bar).',
} as const satisfies Sentences;

const networkWords = (id: keyof typeof NETWORK_SENTENCES, params?: { host: string }): Words =>
  words(NETWORK_SENTENCES, id, params);

export type AddressSpace = 'loopback' | 'private' | 'public';

/** Where a host name or address lives, as Chrome's Local Network Access sees it. */
export function addressSpace(hostname: string): AddressSpace {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost') || h === '::1' || /^127\./.test(h)) return 'loopback';
  if (/^10\./.test(h) || /^192\.168\./.test(h) || /^172\.(1[6-9]|2\d|3[01])\./.test(h) || /^169\.254\./.test(h))
    return 'private';
  if (/^f[cd][0-9a-f]{2}:/.test(h) || /^fe80:/.test(h)) return 'private';
  if (
    h.endsWith('.local') ||
    h.endsWith('.lan') ||
    h.endsWith('.home.arpa') ||
    h.endsWith('.internal') ||
    !h.includes('.')
  )
    return 'private';
  return 'public';
}

function isIpLiteral(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '');
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(h) || h.includes(':');
}

export interface NetworkVerdict {
  /** 'blocked': the browser will refuse; 'prompt': Chrome asks the person first; 'ok'. */
  kind: 'ok' | 'prompt' | 'blocked';
  reason?: 'mixed-content' | 'local-network';
  /** Why, in English (`words` filled in). */
  message?: string;
  /** The same as words (mqtt-sentences.ts), set whenever `message` is. */
  words?: Words;
}

/** A verdict other than 'ok', with its words and their English. */
const verdict = (kind: 'prompt' | 'blocked', reason: NetworkVerdict['reason'], words: Words): NetworkVerdict => ({
  kind,
  reason,
  message: fill(words),
  words,
});

/**
 * Whether a page at `pageUrl` may open `brokerUrl` (a valid ws:// or wss:// URL).
 * Facts: an https page may not open plain ws:// (mixed content) except to loopback, and since
 * Chrome 147 a public page asks permission before it reaches a private or loopback address;
 * once permitted, IP literals and .local names are exempt from the mixed-content block.
 */
export function checkBrokerReachability(brokerUrl: string, pageUrl: string): NetworkVerdict {
  const broker = new URL(brokerUrl);
  const page = new URL(pageUrl);
  const brokerSpace = addressSpace(broker.hostname);
  const pageSpace = addressSpace(page.hostname);
  const localExempt = isIpLiteral(broker.hostname) || broker.hostname.toLowerCase().endsWith('.local');

  if (page.protocol === 'https:' && broker.protocol === 'ws:' && brokerSpace !== 'loopback') {
    if (brokerSpace === 'private' && localExempt && pageSpace === 'public')
      return verdict('prompt', 'local-network', networkWords('mqtt.network.mixed-content-local'));
    return verdict('blocked', 'mixed-content', networkWords('mqtt.network.mixed-content', { host: broker.hostname }));
  }
  if (pageSpace === 'public' && brokerSpace !== 'public')
    return verdict('prompt', 'local-network', networkWords('mqtt.network.local', { host: broker.hostname }));
  return { kind: 'ok' };
}
