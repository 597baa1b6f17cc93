// A terminal's real sync client alone on a fresh SQLite file, without a terminal core: for tests of
// what the client itself says and does. `onHello` sees each hello before the client goes on.
import type { HelloResponse } from '#protocol/events';
import { LocalSql } from '../../electron/core/db/localSql';
import { migrateTerminalDatabase } from '../../electron/core/db/migrateTerminalDatabase';
import { SyncClient, type SyncClientDeps } from '../../electron/core/sync/syncClient';
import { TerminalClock } from '../../electron/core/terminalClock';
import { migrationsDir } from '../../prisma/schemaEngine';

export async function bareSyncClient(
  file: string,
  { serverUrl, token, onHello, ...extra }: { serverUrl: string; token: string; onHello?: (hello: HelloResponse) => Promise<void> } & Pick<SyncClientDeps, 'lan'>,
): Promise<{ sync: SyncClient; sql: LocalSql }> {
  await migrateTerminalDatabase(file, migrationsDir('terminal'));
  const sql = new LocalSql(file);
  let clock: TerminalClock | null = null;
  const sync = new SyncClient({
    sql,
    serverUrl,
    token,
    wallClock: Date.now,
    monotonicClock: () => performance.now(),
    async onHello(hello, reading) {
      await onHello?.(hello);
      clock ??= new TerminalClock(hello.device.id, 0, null, Date.now, () => performance.now());
      clock.adjust(reading);
      return clock;
    },
    onClockAdjusted() {},
    onEvents() {},
    onSettingsChanged() {},
    onRefusals() {},
    log() {},
    ...extra,
  });
  return { sync, sql };
}
