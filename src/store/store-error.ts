import { SignetError } from '../errors/signet-error.ts';

/** SQLite result codes that mean "try again later" rather than "this file cannot be used". */
const TRANSIENT = new Set(['SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_FULL', 'SQLITE_IOERR']);
/** Codes that mean the file itself is unusable, with what to do about each. */
const UNUSABLE: Readonly<Record<string, string>> = {
  SQLITE_NOTADB: 'is not an SQLite database',
  SQLITE_CORRUPT: 'is damaged',
  SQLITE_READONLY: 'is read-only (or its folder is)',
  SQLITE_CANTOPEN: 'cannot be opened (missing folder or no permission)',
  SQLITE_PERM: 'cannot be opened (no permission)',
};

/**
 * A store failure as a signet error that names the file and the fix: SIGNET_STORE_UNAVAILABLE for a
 * busy, locked or full store (retryable), SIGNET_STORE_CORRUPT for a file that cannot be used.
 */
export function storeError(error: unknown, file: string, doing: string): SignetError {
  if (SignetError.is(error)) return error;
  const code = sqliteCode(error);
  const reason = error instanceof Error ? error.message : String(error);
  // Extended codes (SQLITE_READONLY_DBMOVED, SQLITE_BUSY_SNAPSHOT...) share their primary code's meaning.
  const base = code.split('_').slice(0, 2).join('_');
  const unusable = UNUSABLE[base];
  if (unusable !== undefined) {
    return new SignetError(
      'SIGNET_STORE_CORRUPT',
      `the store ${file} ${unusable} (${reason}) while ${doing}; point SIGNET_DATA_DIR at a writable folder, or move the file aside so a new one is created`,
      { cause: error, details: { file, sqliteCode: code } },
    );
  }
  if (error instanceof TypeError && /connection is not open/.test(reason)) {
    return new SignetError(
      'SIGNET_STORE_UNAVAILABLE',
      `the store ${file} is closed (its process is shutting down) while ${doing}; retry on a running one`,
      { cause: error, details: { file } },
    );
  }
  if (TRANSIENT.has(base)) {
    return new SignetError(
      'SIGNET_STORE_UNAVAILABLE',
      `the store ${file} is ${base === 'SQLITE_FULL' ? 'out of disk space' : 'busy or locked'} (${reason}) while ${doing}; free space or stop the process holding it`,
      { cause: error, details: { file, sqliteCode: code } },
    );
  }
  return new SignetError('SIGNET_INTERNAL', `the store ${file} failed while ${doing}: ${reason}`, {
    cause: error,
    details: { file, sqliteCode: code },
  });
}

function sqliteCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'UNKNOWN';
}
