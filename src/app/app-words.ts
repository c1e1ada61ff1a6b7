/**
 * What the app layer says to the person, by id (src/kmp/words.ts): its notices, the station's and
 * the publishing state's words, the outcomes of downloads and sends, and its own refusals. The UI
 * words them (src/ui/i18n/problem-text.ts); `fill()` gives the English, as logs and tests see it.
 */
import { errorText } from '../kmp/error-text.ts';
import type { Problem } from '../kmp/errors.ts';
import { fill, isWords, words, type Sentences, type Words, type WordsParam } from '../kmp/words.ts';

/** Said the same way in several sentences below: why a part of the app is missing. */
const FILES_MISSING =
  "the app's files did not arrive (offline before the app was fully installed, or an update half-way). Reload when online.";

export const APP_SENTENCES = {
  // A failure said as a whole: its sentence with the detail it brackets, and what to try after it.
  'app.said.text': '{text}',
  'app.said.detail': '{message} ({detail})',
  'app.said.advice': '{message} {advice}',

  'app.notice.station': 'Station: {problem}',
  'app.notice.publishing': 'Publishing could not start: {problem}',
  'app.updated-elsewhere': 'kmp-web was updated in another tab or window. Reload this one to keep saving readings.',
  'app.storage-unavailable': 'Storage is not available: {why}',

  'app.persistence.unknown':
    'Not asked yet: the browser is asked to keep the readings permanently when polling starts or station mode is switched on.',
  'app.persistence.persistent':
    'The browser keeps the readings and the outbox permanently: it does not delete them when the disk runs full.',
  'app.persistence.best-effort':
    'The browser may delete the readings and the outbox when the disk runs full: it did not agree to keep them permanently. Chrome decides by itself (installing the app and using it often help); ask again later.',
  'app.persistence.unsupported':
    'This browser cannot be asked to keep the readings permanently: it may delete them when the disk runs full.',

  'app.station.by-hand': 'Polling was stopped by hand. Press Start polling and the station goes on by itself.',
  'app.station.no-head-yet':
    'No head has been connected on this computer yet. Connect once by hand; the station reconnects after that.',
  'app.station.head-away':
    'The head ({head}) is not plugged in, or the browser no longer allows it. Plug it in: the station reconnects by itself.',
  'app.station.lost': 'The connection to the head was lost. The station reconnects when the head is back.',
  'app.station.another-tab': 'Another kmp-web tab leads the station; this one takes over when that one closes.',
  'app.station.meter-elsewhere':
    'Another kmp-web tab is connected to the meter; the station goes on when it disconnects or closes.',
  'app.station.demo-head': 'the demo meter',
  'app.station.demo-head.model': 'the demo meter, MULTICAL {model}',
  'app.station.interrupted':
    'Polling was on when kmp-web last closed, and is not now. Connect to go on, or switch on station mode in Settings so it goes on by itself after a reload.',
  'app.another-tab-connected':
    'Another kmp-web tab or window is connected to a meter. Disconnect there first: two readers on one head garble each other’s replies.',

  'app.info-code.tables-missing': `Its meaning could not be loaded: ${FILES_MISSING}`,
  'app.info-code.notification': 'Meter {serial}: info code {from} → {to}',
  'app.notify.unsupported': 'This browser cannot show notifications; changes are still shown here.',
  'app.notify.denied':
    'The browser was not allowed to show notifications (see the padlock next to the address to allow them); changes are still shown here.',

  'app.wake-lock.unsupported': 'this browser cannot keep the screen on',
  'app.wake-lock.released': 'the browser released it (the page was hidden or the battery is low)',

  'app.history-changed':
    "The meter's history changed: entry {id} of the {logger} log is not what was downloaded before ({what}). A replaced or reset meter, or the head on another meter, does this. Nothing of this download was stored; both versions are kept with the meter, and the entries already here are unchanged.",
  'app.history-changed.stamped': 'stamped {here} here, {now} now',
  'app.history-changed.register': 'register {id}: {here} {hereUnit} here, {now} {nowUnit} now',
  'app.history-changed.two': '{first}; {second}',
  'app.history-changed.three': '{first}; {second}; {third}',
  'app.download.no-storage': 'Storage is not available, so a download would be lost.',
  'app.download.not-identified': 'The meter has not been identified yet: read it once, then download.',
  'app.loggers.not-identified': 'The meter has not been identified yet: read it once, then list its loggers.',

  'app.password.unreadable':
    'The saved broker password cannot be read. {why} Enter it again on the Publish page and save; the other broker settings are kept.',
  'app.publishing.unchecked-saved': `the saved broker settings could not be checked: ${FILES_MISSING}`,
  'app.publishing.unchecked-not-saved': `The settings could not be checked, so not saved: ${FILES_MISSING}`,
  'app.publishing.unchecked-test': `The settings could not be checked: ${FILES_MISSING}`,
  'app.publishing.no-storage': 'Storage is not available, so settings cannot be kept.',
  'app.publishing.not-saved': 'Not saved: {problem}',
  'app.publishing.off-remove': 'Publishing is off: switch it on and connect to the broker first.',
  'app.publishing.could-not-connect': 'Could not connect.',
  'app.mqtt.badge': 'MQTT: {state}',
  'app.mqtt.badge.waiting': 'MQTT: {state} · {count} waiting',
  'app.mqtt.badge.broker': 'MQTT {broker}: {state}',
  'app.mqtt.badge.broker.waiting': 'MQTT {broker}: {state} · {count} waiting',
  'app.broker-applied.off':
    'the broker {url} (publishing is off: review it on the Publish page and switch it on there)',
  'app.broker-applied.connected': 'the broker {url}; publishing is on and connected: readings go there now',
  'app.broker-applied.on': 'the broker {url}; publishing is on ({state})',
  'app.mqtt.off': 'Publishing is off',
  'app.mqtt.other-tab': 'Another tab of kmp-web publishes; this one takes over when it closes',
  'app.mqtt.starting': 'Starting…',
  'app.mqtt.connecting': 'Connecting…',
  'app.mqtt.connecting.attempt': 'Connecting (attempt {attempt})…',
  'app.mqtt.connected': 'Connected to the broker',
  'app.mqtt.waiting': 'Not connected; trying again in {seconds} s',
  'app.mqtt.failed': 'Not connected',

  'app.ha.address-first': 'Enter the address of your Home Assistant first, and save.',
  'app.ha.token-first': 'Enter a long-lived access token first, and save.',
  'app.ha.token-unreadable': 'The saved access token cannot be read ({why}). Enter it again and save.',
  'app.ha.nothing-to-send':
    'No logger entries with heat energy or volume are stored for this meter: download a log first.',
  'app.ha.live-sent': '{time}: {rows} hourly row(s) of polled readings sent.',
  'app.ha.live-failed': '{time}: not sent. {problem}',
} as const satisfies Sentences;

export type AppSentence = keyof typeof APP_SENTENCES;

/** The app's words `id`, with its parameters. */
export const appWords = (id: AppSentence, params?: Readonly<Record<string, WordsParam>>): Words =>
  words(APP_SENTENCES, id, params);

/** A refusal of the app's own (no storage, no identified meter), in the shape of every Problem. */
export class AppError extends Error implements Problem {
  override readonly name = 'AppError';
  constructor(
    readonly kind: string,
    readonly words: Words,
  ) {
    super(fill(words));
  }
}

/**
 * A failure's sentence as words, without what to try: its words (with the detail it brackets),
 * or, for an error without words, its text as it came (the browser's own, a thrown string).
 */
export function messageWords(e: unknown): Words {
  if (isWords(e)) return e;
  const { words: said, message, detail } = (typeof e === 'object' && e !== null ? e : {}) as Partial<Problem>;
  if (isWords(said))
    return typeof detail === 'string' && detail && message === `${fill(said)} (${detail})`
      ? appWords('app.said.detail', { message: said, detail })
      : said;
  const text = typeof message === 'string' && message.trim() ? message : errorText(e);
  return appWords('app.said.text', { text });
}

/**
 * A failure as the person is told it, as words: its sentence and what to try, the English of
 * which is what errorText says of it.
 */
export function problemWords(e: unknown): Words {
  if (isWords(e)) return e;
  const { words: said, advice, adviceWords } = (typeof e === 'object' && e !== null ? e : {}) as Partial<Problem>;
  if (!isWords(said)) return appWords('app.said.text', { text: errorText(e) });
  const message = messageWords(e);
  const then = isWords(adviceWords) ? adviceWords : typeof advice === 'string' && advice.trim() ? advice : undefined;
  return then === undefined ? message : appWords('app.said.advice', { message, advice: then });
}
