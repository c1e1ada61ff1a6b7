import type { Problem } from '../kmp/errors.ts';
import { fill, words, type Sentences, type Words } from '../kmp/words.ts';

/** Why talking to Home Assistant failed, for the code to branch on. */
export type HaErrorKind =
  | 'address' // not an address at all
  | 'mixed-content' // an https page may not open plain ws:// there
  | 'unreachable' // nothing there accepted a Home Assistant WebSocket
  | 'not-ha' // something answered, but not Home Assistant
  | 'wrong-token' // HA refused the token
  | 'not-admin' // the token's user may not import statistics
  | 'too-old' // this HA does not know a command we need
  | 'lost' // the connection closed while a command was under way
  | 'refused' // HA answered a command with an error
  | 'unit'; // HA already holds the statistic in another unit

/**
 * What the Home Assistant side says to the person, by id (src/kmp/words.ts): its failures and what
 * to try, the browser's rules said before connecting, and why a statistic of the plan is not sent.
 */
export const HA_SENTENCES = {
  'ha.address.empty': 'Enter the address of your Home Assistant, for example http://homeassistant.local:8123.',
  'ha.address.invalid':
    '“{text}” is not an address. Write it as in the browser, for example http://homeassistant.local:8123.',
  'ha.address.protocol': 'Home Assistant is reached over http:// or https://, not {protocol}//.',
  'ha.network.plain-http-local':
    'This page is https:// and Home Assistant is plain http://. Chrome allows that only for a local IP address or .local name, after you allow “local network access” when it asks. If it never asks or you denied it, use Home Assistant’s https:// address (for example its Nabu Casa or own certificate address).',
  'ha.network.local':
    'Home Assistant at {host} is on your local network and this page is not: Chrome asks whether to allow “local network access”. Allow it, or the connection fails; if you denied it, change it in the site settings (the icon left of the address bar).',
  'ha.mixed-content':
    'This page is served over https://, so the browser blocks the unencrypted connection to Home Assistant at {host} (mixed content).',
  'ha.mixed-content.advice':
    'Use Home Assistant’s https:// address, its IP address or .local name, or open this app from your own network (npm start).',
  'ha.token.empty': 'Enter a long-lived access token.',
  'ha.token.empty.advice':
    'Make one in Home Assistant on your profile page (the round icon at the bottom left), Security tab, “Long-lived access tokens”, Create token.',
  'ha.token.refused': 'Home Assistant at {host} refused the access token (it is wrong, expired or was deleted).',
  'ha.token.refused.advice':
    'Create a new long-lived access token on your Home Assistant profile page and paste it here. kmp-web does not try again with the same token.',
  'ha.lost': 'The connection to Home Assistant closed before it answered.',
  'ha.lost.advice':
    'Check that Home Assistant is running and reachable, then send again: what was sent replaces the same hours, it never adds to them.',
  'ha.not-admin':
    'Home Assistant refused: the access token belongs to a user who is not an administrator, and only an administrator may import statistics.',
  'ha.not-admin.advice': 'Create the token while logged in as an administrator.',
  'ha.too-old': 'Home Assistant {version} does not know “{command}”.',
  'ha.too-old.advice': 'Update Home Assistant (kmp-web is tested against the behaviour of 2025.6).',
  'ha.refused': 'Home Assistant refused {command}: {text}.',
  'ha.not-ha':
    'Something at {host} accepted a WebSocket but did not answer as Home Assistant does (it may be an MQTT broker or another service).',
  'ha.not-ha.advice': 'Enter the address you open Home Assistant with in the browser, usually port 8123.',
  'ha.unreachable':
    'Could not reach Home Assistant at {host}: nothing there accepted a Home Assistant connection (/api/websocket).',
  'ha.unreachable.advice':
    'Check the address (Home Assistant usually listens on port 8123; a plain web server or another service is not it), that Home Assistant is running, and that this device is on its network.',
  'ha.import.not-admin':
    'The access token belongs to {user} who is not an administrator of Home Assistant, and only an administrator may import statistics. Nothing was sent.',
  'ha.import.not-admin.unnamed':
    'The access token belongs to a user who is not an administrator of Home Assistant, and only an administrator may import statistics. Nothing was sent.',
  'ha.import.not-admin.advice':
    'Create the token while logged in as an administrator (Settings → People shows who is one).',
  'ha.import.unit':
    'Home Assistant already holds {id} in {held}, and these entries are in {unit}: sending them would mix two units in one statistic. Nothing was sent.',
  'ha.import.unit.advice':
    'If the meter was reconfigured, delete the old statistic in Home Assistant (Developer tools → Statistics) first, or keep the old one as it is.',
  'ha.quantity.heat-energy': 'Heat energy E1',
  'ha.quantity.cooling-energy': 'Cooling energy E3',
  'ha.quantity.volume': 'Volume V1',
  'ha.plan.meter': 'meter {serial}',
  'ha.plan.unit-changes':
    "{quantity} of {meter}: the meter's unit changes from {from} ({fromTime}) to {to} ({toTime}), and one statistic has one unit. Nothing of it is sent.",
  'ha.plan.counter-falls':
    '{quantity} of {meter}: the counter goes down from {fromValue} {fromUnit} ({fromTime}) to {toValue} {toUnit} ({toTime}). Was the meter replaced or reset? Home Assistant would show that as a huge negative use. Nothing of it is sent.',
  'ha.plan.unknown-unit':
    '{quantity} of {meter} is in {unit}, which Home Assistant has no energy or volume unit for. Nothing of it is sent.',
  'ha.plan.no-unit':
    '{quantity} of {meter} is in no unit, which Home Assistant has no energy or volume unit for. Nothing of it is sent.',
  'ha.plan.polled-readings': 'polled readings',
  'ha.unit.litres': 'litres, written L as Home Assistant spells it',
  'ha.unit.joule': 'J converted to MJ (Home Assistant has no J)',
  'ha.unit.kilojoule': 'kJ converted to MJ (Home Assistant has no kJ)',
  'ha.unit.tens-of-gj': 'the meter counts in tens of GJ; sent in GJ',
  'ha.unit.tens-of-m3': 'the meter counts in tens of m³; sent in m³',
} as const satisfies Sentences;

export type HaSentence = keyof typeof HA_SENTENCES;

/** The Home Assistant side's words `id`, with its parameters. */
export const haWords = (id: HaSentence, params?: Parameters<typeof words>[2]): Words => words(HA_SENTENCES, id, params);

/**
 * A Home Assistant failure in the shape of every Problem: kind, sentence, what to try. Made from
 * words (of any layer's table: the app's own checks say theirs), with `message` and `advice` their
 * English for logs and tests.
 */
export class HaError extends Error implements Problem {
  override readonly name = 'HaError';
  readonly advice?: string;
  constructor(
    readonly kind: HaErrorKind,
    readonly words: Words,
    readonly adviceWords?: Words,
    readonly detail?: string,
  ) {
    super(fill(words));
    if (adviceWords) this.advice = fill(adviceWords);
  }
}
