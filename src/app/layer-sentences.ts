/**
 * Every sentence the layers below the UI can say to the person, by id (src/kmp/words.ts). The
 * UI's translations of them are made from this list (scripts/i18n-words.ts writes
 * src/ui/i18n/layer-words.generated.ts, whose msg() calls lit-localize extracts into the
 * catalogues); a sentence missing here is shown in English in every language.
 *
 * Only scripts/i18n-words.ts (and the tests) import this file, never the app: it takes in every
 * table, the codec's info-code tables too (through KMP_SENTENCES), which the app loads only when
 * the first info code arrives (info-code-tables.ts). The usb layer's table (USB_SENTENCES) joins
 * in the script: app may not import usb.
 */
import type { Sentences } from '../kmp/words.ts';
import { KMP_SENTENCES } from '../kmp/words-tables.ts';
import { LINK_SENTENCES } from '../link/link-error.ts';
import { BUSY_SENTENCES, SCAN_SENTENCES, SERIAL_SENTENCES } from '../link/index.ts';
import { HA_SENTENCES } from '../ha/ha-error.ts';
import { APP_SENTENCES } from './app-words.ts';
import { STORE_SENTENCES } from '../store/store-error.ts';
import { VALUE_SENTENCES } from '../store/describe-value.ts';
import { CHECK_SENTENCES } from '../store/validate.ts';
import { RESTORE_SENTENCES } from '../store/import-json.ts';
import { SECRET_BOX_SENTENCES } from '../store/secret-box.ts';
import { IMPORT_SENTENCES } from '../store/settings-import-words.ts';
import { MQTT_SENTENCES } from '../mqtt/mqtt-sentences.ts';
import { NETWORK_SENTENCES } from '../mqtt/network-rules.ts';

export const LAYER_SENTENCE_GROUPS: Readonly<Record<string, Sentences>> = {
  kmp: KMP_SENTENCES,
  link: LINK_SENTENCES,
  'link-serial': SERIAL_SENTENCES,
  'link-busy': BUSY_SENTENCES,
  'link-scan': SCAN_SENTENCES,
  ha: HA_SENTENCES,
  app: APP_SENTENCES,
  store: STORE_SENTENCES,
  'store-values': VALUE_SENTENCES,
  'store-checks': CHECK_SENTENCES,
  'store-restore': RESTORE_SENTENCES,
  'store-secrets': SECRET_BOX_SENTENCES,
  'store-import': IMPORT_SENTENCES,
  mqtt: MQTT_SENTENCES,
  'mqtt-network': NETWORK_SENTENCES,
};
