// The operating system's keychain, through Electron's safeStorage, seals the terminal's device token
// in terminal.db (see core/deviceSecrets.ts).
import { safeStorage } from 'electron';
import type { SecretBox } from './core/deviceSecrets';

/**
 * The keychain as a secret box, or undefined where there is none worth the name: on Linux without a
 * secret service, safeStorage falls back to a key built into Chromium, which protects nothing. The
 * terminal's file is then private to its user, as everywhere. Call after the app is ready.
 */
export function keychain(): SecretBox | undefined {
  if (!safeStorage.isEncryptionAvailable()) return undefined;
  if (process.platform === 'linux' && ['basic_text', 'unknown'].includes(safeStorage.getSelectedStorageBackend())) return undefined;
  return {
    seal: (plain) => safeStorage.encryptString(plain).toString('base64'),
    open: (sealed) => safeStorage.decryptString(Buffer.from(sealed, 'base64')),
  };
}
