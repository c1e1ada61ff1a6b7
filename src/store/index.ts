/** Storage: IndexedDB through idb, with migrations, validation, export/import and the outbox. */
export {
  KmpStore,
  FRAME_LOG_CAP,
  type ReadingQuery,
  type LoggerEntryInput,
  type LoggerEntryQuery,
  type LoggerSummary,
} from './kmp-store.ts';
export { lineKey, type Series, type SeriesLine } from './series.ts';
export { openKmpDb, DEFAULT_DB_NAME } from './open-db.ts';
export {
  DB_VERSION,
  type MeterRecord,
  type ScanRecord,
  type StoredFrame,
  type StoredLoggerEntry,
  type StoredReading,
} from './schema.ts';
export { StoreError, toStoreError, type StoreErrorKind } from './store-error.ts';
export {
  readingProblem,
  meterProblem,
  loggerEntryProblem,
  readingProblemWords,
  meterProblemWords,
  loggerEntryProblemWords,
} from './validate.ts';
export { readingsToCsv, csvColumns, loggerEntriesToCsv, loggerCsvColumns, type CsvOptions } from './export-csv.ts';
export { buildExport, EXPORT_FORMAT, EXPORT_SCHEMA_VERSION, type ExportFile } from './export-json.ts';
export { parseExport, importExport, type ImportResult } from './import-json.ts';
export { RESTORE_BATCH, type RestoreOptions, type RestoreProgress, type RestoreResult } from './restore.ts';
export { importSettingsFile } from './settings-import.ts';
export { checkImportedBroker, mqttAfterImport, type BrokerSettingsCheck } from './settings-import-broker.ts';
export { exportSettingsJson, SETTINGS_FORMAT, SETTINGS_SCHEMA_VERSION } from './settings-file.ts';
export { exportSettingsYaml } from './settings-yaml.ts';
export {
  type AppSettingsDraft,
  type ImportedSettings,
  type ImportNote,
  type ImportNoteLevel,
  type MqttDraft,
  type SeedImportResult,
  type SettingsFileKind,
} from './settings-import-types.ts';
export { SecretBox, SecretBoxError, isSealed, SECRET_KEY_SETTING, type Sealed, type KeyKeeper } from './secret-box.ts';
export { acquireMeterLock, meterLockHeldElsewhere, type MeterLock } from './tab-lock.ts';
export type { OutboxItem, OutboxSource } from './outbox-types.ts';
