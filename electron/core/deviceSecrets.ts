// The device token is the terminal's key to its store. Where the platform has a keychain (Electron's
// safeStorage: Keychain, DPAPI, libsecret) it is sealed with it in terminal.db, so a copy of the
// file is no use on another machine; everywhere the file is for this user alone.
import { chmod } from 'node:fs/promises';
import { AppError } from '#protocol/errors';

/** Seals and opens secrets with a key the file does not hold. */
export interface SecretBox {
  seal(plain: string): string;
  open(sealed: string): string;
}

const SEALED = 'sealed:';

/** The token as terminal.db keeps it: sealed when there is a box. */
export const tokenToStore = (token: string, box: SecretBox | undefined) => (box ? `${SEALED}${box.seal(token)}` : token);

export const isSealed = (stored: string) => stored.startsWith(SEALED);

/** The token itself, from what terminal.db keeps. */
export function tokenFromStore(stored: string, box: SecretBox | undefined): string {
  if (!isSealed(stored)) return stored;
  if (!box) {
    throw new AppError('AUTH_INVALID', "This terminal's key is sealed by another machine's keychain. Pair this terminal again.");
  }
  try {
    return box.open(stored.slice(SEALED.length));
  } catch {
    throw new AppError('AUTH_INVALID', "This terminal's key cannot be opened on this machine. Pair this terminal again.");
  }
}

/**
 * The database files readable and writable by this user alone (0600). SQLite gives the journal files
 * it makes later the database file's own mode.
 */
export async function keepPrivate(databaseFile: string): Promise<void> {
  if (process.platform === 'win32') return; // files in the user's profile are private already
  for (const suffix of ['', '-wal', '-shm']) await chmod(databaseFile + suffix, 0o600).catch(() => {});
}
