export {
  DEFAULT_DATA_DIR,
  openSqliteStore,
  type SqliteStoreOptions,
  STORE_FILE,
} from './open-sqlite-store.ts';
export type {
  EntryToSet,
  NamespaceSize,
  ReadOptions,
  ScannedEntry,
  ScanOptions,
  SetOptions,
  Store,
  StoredEntry,
  StoredRecord,
} from './store.ts';
