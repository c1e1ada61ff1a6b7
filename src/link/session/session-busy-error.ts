import { fill, loggerNounWords, words, type Problem, type Sentences, type Words } from '../../kmp/index.ts';
import type { Activity } from './session-types.ts';

/** What the session says when it is busy, by id (src/kmp/words.ts): one whole sentence per activity. */
export const BUSY_SENTENCES = {
  // `logger` is the logger's name as a noun phrase ("yearly logger").
  'link.busy.logger': 'The meter is busy downloading its {logger}: wait for it or cancel it, then try again.',
  'link.busy.scanning': 'The meter is busy with a register scan: wait for it or stop it, then try again.',
  'link.busy.aligning': 'The meter is busy aligning the head: stop the alignment, then try again.',
  'link.busy.polling': 'The meter is busy polling: stop polling, then try again.',
  'link.busy.reading': 'The meter is busy being read: wait for the reading to finish, then try again.',
  'link.busy.advice': 'The meter answers one request at a time, so the app runs one task with it at a time.',
} as const satisfies Sentences;

function busyWith(activity: Activity): Words {
  switch (activity.kind) {
    case 'logger':
      return words(BUSY_SENTENCES, 'link.busy.logger', { logger: loggerNounWords(activity.logger) });
    case 'scanning':
    case 'aligning':
    case 'polling':
      return words(BUSY_SENTENCES, `link.busy.${activity.kind}`);
    default:
      return words(BUSY_SENTENCES, 'link.busy.reading');
  }
}

/**
 * The meter is doing something else: the session runs one activity at a time (see
 * MeterSession.canStart). Says what it is doing in words a page can show as they are.
 */
export class SessionBusyError extends Error implements Problem {
  override readonly name = 'SessionBusyError';
  readonly kind = 'busy';
  readonly words: Words;
  readonly adviceWords: Words = words(BUSY_SENTENCES, 'link.busy.advice');
  readonly advice = fill(this.adviceWords);
  /** The activity in the way. */
  readonly detail: Activity['kind'];
  constructor(busy: Activity) {
    const said = busyWith(busy);
    super(fill(said));
    this.words = said;
    this.detail = busy.kind;
  }
}
