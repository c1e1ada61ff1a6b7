/**
 * The info-code tables (kmp/info-codes.ts), loaded when the first info code arrives rather than
 * with the first screen: they are the largest table of the codec, and nothing shows a code
 * before a reading. Loaded once; a load that failed is tried again the next time it is asked for.
 */
import { appWords } from './app-words.ts';

type InfoCodeTables = typeof import('../kmp/info-codes.ts');

let tables: InfoCodeTables | undefined;
let loading: Promise<InfoCodeTables> | undefined;

/** The tables when they have loaded, so a code already loaded for is put in words at once. */
export function loadedInfoCodeTables(): InfoCodeTables | undefined {
  return tables;
}

export function loadInfoCodeTables(): Promise<InfoCodeTables> {
  loading ??= import('../kmp/info-codes.ts').then(
    (m) => (tables = m),
    (e: unknown) => {
      loading = undefined;
      throw e;
    },
  );
  return loading;
}

/** Said in place of a code's meaning when the tables did not load. */
export const INFO_CODE_TABLES_MISSING = appWords('app.info-code.tables-missing');
