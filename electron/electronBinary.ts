import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * The Electron executable, or null when its binary is not installed (the `electron` package
 * downloads it from outside the npm registry, which not every machine can reach). Outside
 * Electron, requiring the package gives the executable's path.
 */
export function electronBinary(): string | null {
  try {
    const path = createRequire(import.meta.url)('electron') as unknown;
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}
