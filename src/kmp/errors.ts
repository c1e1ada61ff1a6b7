import { fill, type Words } from './words.ts';

/**
 * The one shape of every failure of ours, in every layer: a `kind` for the code to branch on, a
 * `message` for the person (in English; `words` carry it by id for the UI to translate), what to
 * try (`advice`, `adviceWords`) when there is something, and a technical `detail` for the logs. The usb layer may not import this; its errors match it by shape.
 */
export interface Problem {
  kind: string;
  message: string;
  advice?: string;
  detail?: string;
  /**
   * `message` as words (src/kmp/words.ts), for the UI to say in the reader's language: the whole
   * message, or the whole but for ` (detail)` at its end, which the UI then adds as it is.
   */
  words?: Words;
  /** `advice` as words. */
  adviceWords?: Words;
}

/**
 * Every malformed input to the codec ends in a KmpError, never in another exception,
 * so callers can classify failures with one `instanceof` and a `kind` (also `code`, its older name).
 */
export type KmpErrorCode =
  | 'crc' // the checksum over the unstuffed frame did not come out as zero
  | 'framing' // missing or wrong start/stop byte, or a reserved byte inside the body
  | 'escape' // a 0x1B escape not followed by the complement of a reserved byte
  | 'length' // too short, too long, or a register block that runs past the end
  | 'range' // a number too large for a double: no meter produces it, and Infinity must never pass as a value
  | 'argument' // the caller asked for something the protocol cannot express
  | 'unexpected'; // a well-formed frame that is not the answer we asked for

export class KmpError extends Error implements Problem {
  override readonly name = 'KmpError';
  /** The message as words, where a person sees it (a register typed in); else the English is technical. */
  readonly words?: Words;
  constructor(
    readonly code: KmpErrorCode,
    message: string | Words,
  ) {
    super(typeof message === 'string' ? message : fill(message));
    if (typeof message !== 'string') this.words = message;
  }

  /** What went wrong, as every Problem names it: the same value as `code`. */
  get kind(): KmpErrorCode {
    return this.code;
  }
}
