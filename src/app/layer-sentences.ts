/**
 * Every sentence the layers below the UI can say to the person, by id (src/kmp/words.ts). The
 * UI's translations of them are made from this list (scripts/i18n-words.ts writes
 * src/ui/i18n/layer-words.generated.ts, whose msg() calls lit-localize extracts into the
 * catalogues); a sentence missing here is shown in English in every language.
 */
import type { Sentences } from '../kmp/words.ts';
import { LINK_SENTENCES } from '../link/link-error.ts';

export const LAYER_SENTENCE_GROUPS: Readonly<Record<string, Sentences>> = {
  link: LINK_SENTENCES,
};
