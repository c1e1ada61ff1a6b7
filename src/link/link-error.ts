import type { Problem } from '../kmp/errors.ts';
import { fill, words, type Sentences, type Words } from '../kmp/words.ts';

/** How a request to the meter failed, in the terms a person at the meter can act on. */
export type LinkFailure =
  | 'no-answer' // nothing at all came back
  | 'echo-only' // only our own request came back: light reflected by the head, not the meter
  | 'bad-crc' // a reply came, but damaged (CRC, stuffing or framing)
  | 'cut-off' // a reply started and stopped before its end
  | 'overrun' // a reply started and bytes kept coming past its deadline, never making a whole frame
  | 'logger-error' // the logger flagged its own failure (memory error, invalid request) in its reply
  | 'unexpected' // an intact frame that is not the answer to what we asked
  | 'disconnected' // the port or cable went away
  | 'closed' // the session was closed while the request waited
  | 'refused' // a write command: this client never changes the meter
  | 'no-logger'; // the meter answers other requests but stays silent to the logger read-out (0xB8)

/**
 * What the link says to the person, by id (src/kmp/words.ts): each failure's sentence and what to
 * try, and the sentences for a meter that went quiet.
 */
export const LINK_SENTENCES = {
  'link.no-answer': 'The meter did not answer.',
  'link.no-answer.advice':
    'Press a button on the meter to wake its optical port, check that the head’s magnet sits on the meter and that the head is seated (often upside down, a little above the guides), and that the cable is plugged in. (A MULTICAL 401, 66C or older model speaks an older protocol, IEC 61107, that this app does not read.)',
  'link.echo-only': 'Only our own request came back; the meter itself stayed silent.',
  'link.echo-only.advice':
    'The head sees its own light: it is not seated on the optical window. Re-seat it flat on the window, try it upside down, and press a button on the meter to wake it.',
  'link.bad-crc': 'The meter answered, but the reply was damaged on the way (checksum failed); it was discarded.',
  'link.bad-crc.advice':
    'Usually alignment or stray light: re-seat the head, shade it from daylight, and keep the cable still.',
  'link.cut-off': 'The meter’s reply stopped half-way.',
  'link.cut-off.advice':
    'Re-seat the head and keep it still; if it keeps happening, raise the inter-byte timeout in the advanced settings.',
  'link.overrun': 'The meter’s reply did not finish: bytes kept coming but never made up a whole reply.',
  'link.overrun.advice':
    'A whole reply takes a few seconds at most. Something keeps the line busy: re-seat the head and shade it from light, check the cable, and check that the baud rate is the meter’s (1200).',
  'link.logger-error': 'The meter’s logger reported an error.',
  'link.logger-error.advice':
    'Entries read before are kept. Try again later; if the logger keeps reporting it, the meter may need a service check by your utility or Kamstrup.',
  'link.unexpected': 'Something answered with a frame that is not a reply to our request.',
  'link.unexpected.advice': 'Make sure no other program or browser tab reads the same meter, then try again.',
  'link.disconnected': 'The serial port went away (cable unplugged or the adapter reset).',
  'link.disconnected.advice': 'Plug the head back in and connect again.',
  'link.closed': 'The connection was closed before the request finished.',
  'link.closed.advice': 'Connect again.',
  'link.refused': 'Refused to send a command that would change the meter.',
  'link.refused.advice': 'This app only reads; meters are fiscal and battery-powered.',
  'link.no-logger':
    'This meter does not offer its loggers over the optical eye: it answers other requests but stayed silent when asked for its history.',
  'link.no-logger.advice':
    'The MULTICAL 403, 603, 303 and 803 hand out their loggers themselves; a 601 only with a logger module (67-0B on top, 67-00-22 as base module), and the 801 through its own logger; the 402 and 602 not at all. Its live readings are still read and kept here. The app will not ask this meter for its loggers again until you connect anew.',
  'link.went-quiet': 'The meter has stopped answering (its last answer was {ago}).',
  'link.went-quiet.echo':
    'The meter has stopped answering (its last answer was {ago}). Only our own request came back.',
  'link.gave-up': '{failure} Stopped after {requests} requests without one good reply.',
  'link.gave-up.damaged':
    'Every reply was damaged on the way (checksum failed or cut off): stopped after {requests} requests without one good reply.',
  'link.gave-up.advice':
    '{advice} Each request costs the meter’s battery, so the app stops after a few and tries again at the next reading.',
  'link.overrun.slow':
    'The meter’s reply did not finish within {seconds} s: bytes kept coming but never made up a whole reply.',
  // `logger` is the logger's name as a noun phrase ("daily logger"), `flags` the reply's flags ("memory error").
  'link.logger-error.which': "The meter's {logger} reported an error: {flags}.",
  'link.no-time': 'This logger records no date or time, so its entries cannot be placed in time.',
  'link.no-time.advice':
    'Choose another logger; the yearly, monthly, daily and hourly loggers of a MULTICAL record their time.',
  'link.ago.now': 'less than a minute ago',
  'link.ago.one': '1 minute ago',
  'link.ago.minutes': '{minutes} minutes ago',
  'link.went-quiet.advice':
    'Its optical port has probably gone to sleep: MULTICALs switch it off after about 30 minutes without traffic, some 403s after 4. Press a button on the meter to wake it, then read again; if that does not help, the head may have been knocked: lift it and seat it again. Polling every 15 minutes or so keeps the port awake at a small cost to the battery.',
} as const satisfies Sentences;

export type LinkSentence = keyof typeof LINK_SENTENCES;

/** The link's words `id`, with its parameters. */
export const linkWords = (id: LinkSentence, params?: Parameters<typeof words>[2]): Words =>
  words(LINK_SENTENCES, id, params);

/** A classified failure of the meter link, with a sentence to show and what to try. */
export class LinkError extends Error implements Problem {
  override readonly name = 'LinkError';
  readonly advice: string;
  readonly words: Words;
  readonly adviceWords: Words;
  constructor(
    readonly kind: LinkFailure,
    /** Technical detail for the frame log (a CRC mismatch, which bytes came). */
    readonly detail?: string,
    /** Words that fit the situation better than the kind's own (same kind, same handling). */
    text: { message: Words; advice: Words } = {
      message: linkWords(`link.${kind}`),
      advice: linkWords(`link.${kind}.advice`),
    },
  ) {
    super(fill(text.message) + (detail ? ` (${detail})` : ''));
    this.words = text.message;
    this.adviceWords = text.advice;
    this.advice = fill(text.advice);
  }
}

/**
 * Silence (or only our echo) from a meter that answered earlier in the same session: the head
 * was evidently seated, so most often the meter's optical port
 * went to sleep (MULTICALs switch it off after about 30 minutes without traffic, some 403s
 * after 4), which a bare "did not answer" would blame on the head or the cable.
 */
export function wentQuiet(silence: LinkError, lastAnswerAt: number, now: number): LinkError {
  const minutes = Math.floor((now - lastAnswerAt) / 60_000);
  const ago =
    minutes < 1
      ? linkWords('link.ago.now')
      : minutes === 1
        ? linkWords('link.ago.one')
        : linkWords('link.ago.minutes', { minutes });
  return new LinkError(silence.kind, silence.detail, {
    message: linkWords(silence.kind === 'echo-only' ? 'link.went-quiet.echo' : 'link.went-quiet', { ago }),
    advice: linkWords('link.went-quiet.advice'),
  });
}
