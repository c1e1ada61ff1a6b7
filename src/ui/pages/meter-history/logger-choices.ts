import { msg, str } from '@lit/localize';
import { LOGGER_TYPE } from '../../../kmp/index.ts';

/** What the Meter history page downloads of each logger, and how it shows it. */
export interface LoggerChoice {
  logger: number;
  /** "yearly": the English name in file names (kmp-….-yearly-log.csv); on screen it is loggerTitle's. */
  name: string;
  /** The registers asked for besides the time, which the client adds itself. Few: each costs battery. */
  registers: readonly number[];
  /** Entries such a logger usually keeps (docs/loggers.md), for the estimate before the meter says. */
  typicalDepth: number;
  show: 'bars' | 'line' | 'timeline';
}

export const LOGGER_CHOICES: readonly LoggerChoice[] = [
  { logger: LOGGER_TYPE.year, name: 'yearly', registers: [60, 68, 1004, 99], typicalDepth: 20, show: 'bars' },
  { logger: LOGGER_TYPE.month, name: 'monthly', registers: [60, 68, 1004, 99], typicalDepth: 36, show: 'bars' },
  // 379 and 380, the day's averages of T1 and T2, feed the cooling report (cooling.ts).
  { logger: LOGGER_TYPE.day, name: 'daily', registers: [60, 68, 379, 380], typicalDepth: 460, show: 'line' },
  { logger: LOGGER_TYPE.hour, name: 'hourly', registers: [60, 68], typicalDepth: 1080, show: 'line' },
  { logger: LOGGER_TYPE.info, name: 'info', registers: [99, 60, 68], typicalDepth: 50, show: 'timeline' },
];

export function loggerChoice(logger: number): LoggerChoice {
  return LOGGER_CHOICES.find((c) => c.logger === logger) ?? LOGGER_CHOICES[1]!;
}

/**
 * A logger's name as this page says it, in the page's language: "yearly" in "Download yearly log".
 * Called at render time, so that a change of language takes effect at once.
 */
export function loggerTitle(logger: number): string {
  switch (logger) {
    case LOGGER_TYPE.info:
      return msg('info');
    case LOGGER_TYPE.year:
      return msg('yearly');
    case LOGGER_TYPE.month:
      return msg('monthly');
    case LOGGER_TYPE.day:
      return msg('daily');
    case LOGGER_TYPE.hour:
      return msg('hourly');
    case LOGGER_TYPE.minute1:
      return msg('first minute');
    case LOGGER_TYPE.minute2:
      return msg('second minute');
    default:
      // As the kmp layer names a logger without a name: "its number 9 logger".
      return msg(str`number ${logger}`);
  }
}
