import type { TerminalTx } from './terminalDb';

// SQLite allows 32,766 bound parameters per statement; stay well below.
const MAX_PARAMETERS = 30_000;

/**
 * Inserts many rows with multi-row INSERT statements: catching up on a busy day means tens of
 * thousands of rows, and one statement per row would take seconds instead of milliseconds.
 */
export async function bulkInsert(
  tx: TerminalTx,
  table: string,
  columns: readonly string[],
  rows: ReadonlyArray<readonly unknown[]>,
  onConflict: 'ignore' | 'replace' | 'fail' = 'fail',
): Promise<void> {
  if (rows.length === 0) return;
  const verb = onConflict === 'ignore' ? 'INSERT OR IGNORE' : onConflict === 'replace' ? 'INSERT OR REPLACE' : 'INSERT';
  const head = `${verb} INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES `;
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  const perStatement = Math.max(1, Math.floor(MAX_PARAMETERS / columns.length));
  for (let start = 0; start < rows.length; start += perStatement) {
    const chunk = rows.slice(start, start + perStatement);
    await tx.$executeRawUnsafe(head + chunk.map(() => tuple).join(', '), ...chunk.flat());
  }
}
