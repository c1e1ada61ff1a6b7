/**
 * Every sentence of the codec, by id (src/kmp/words.ts), for the catalogues
 * (src/app/layer-sentences.ts) and the tests. Not for the app: it takes in the info-code tables,
 * which the app loads only when the first info code arrives (src/app/info-code-tables.ts); the
 * codec's words come from the functions beside each table (registerLabelWords, loggerNameWords,
 * loggerInfoWordsOf, infoFlagWords …). So kmp/index.ts does not export this module.
 */
import { REGISTER_SENTENCES } from './catalogue.ts';
import { INFO_CODE_SENTENCES } from './info-codes.ts';
import { LIST_SENTENCES } from './list-words.ts';
import { LOGGER_SENTENCES } from './logger.ts';
import { PLAUSIBILITY_SENTENCES } from './plausibility.ts';
import { SUSPECT_SENTENCES } from './reading.ts';
import type { Sentences } from './words.ts';

export const KMP_SENTENCES: Sentences = {
  ...REGISTER_SENTENCES,
  ...LOGGER_SENTENCES,
  ...LIST_SENTENCES,
  ...PLAUSIBILITY_SENTENCES,
  ...SUSPECT_SENTENCES,
  ...INFO_CODE_SENTENCES,
};
