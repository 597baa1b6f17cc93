// The moment this terminal lost the server, kept in terminal.db until a hello has told it, so head
// office learns when the store's outage began — across a restart too.
import { readSettings, updateSettings, type Settings } from './deviceSettings';
import type { LocalSql } from './db/localSql';

/** A shorter gap is a blip (a server restart, a reconnect), not an outage worth showing head office. */
export const OUTAGE_MIN_MS = 10_000;

export class CloudOutage {
  /** The loss the last accepted hello told of: the link still reads it until the session is up. */
  private told: number | null = null;

  constructor(private readonly sql: LocalSql) {}

  /**
   * Keeps the moment the server was lost, as the link reads it; returns the settings as saved. Only
   * a terminal that has had a session can lose the server: a new one starting without it has no
   * outage to tell, and a terminal restarted in an outage keeps the start it saved before.
   */
  linkRead(settings: Settings | null, lostAt: number | null): Settings | null {
    if (!settings?.deviceId || lostAt === null || lostAt === this.told || settings.cloudLostAt !== null) return settings;
    updateSettings(this.sql, { cloudLostAt: new Date(lostAt).toISOString() });
    return readSettings(this.sql);
  }

  /** What the hello says: the outage's start on the server's clock, once it lasted more than a blip. */
  toReport(settings: Settings | null, now: number): string | null {
    if (!settings?.cloudLostAt) return null;
    const lostAt = Date.parse(settings.cloudLostAt);
    return now - lostAt > OUTAGE_MIN_MS ? new Date(lostAt + settings.clockOffsetMs).toISOString() : null;
  }

  /** The server accepted a hello: the outage, if there was one, is told. */
  helloAccepted(settings: Settings, lostAt: number | null): Settings {
    this.told = lostAt;
    if (settings.cloudLostAt === null) return settings;
    updateSettings(this.sql, { cloudLostAt: null });
    return readSettings(this.sql)!;
  }
}
