// Screens on other devices of the shop's network (a tablet as an extra kitchen display) reach this
// terminal through its web host. Being on the network is not enough: they need the PIN shown on
// the terminal's own screen, which gets their browser a session kept in an HttpOnly cookie.
import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import type { LocalSql } from './db/localSql';

const PIN_DIGITS = 6;
/** A session's last use is written at most this often: a screen asks many times a minute. */
const TOUCH_EVERY_MS = 60_000;

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

export class ScreenAccess {
  private readonly touched = new Map<string, number>();

  constructor(private readonly sql: LocalSql) {}

  /** The PIN to show on this terminal's own screen; made on first use. */
  pin(): string {
    return this.sql.get<{ pin: string }>('SELECT pin FROM ScreenAccess WHERE id = 1')?.pin ?? this.renewPin();
  }

  /** A new PIN; every screen let in with the old one must give the new one. */
  renewPin(): string {
    const pin = String(randomInt(10 ** PIN_DIGITS)).padStart(PIN_DIGITS, '0');
    this.sql.transaction(() => {
      this.sql.run('INSERT INTO ScreenAccess (id, pin, createdAt) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET pin = excluded.pin, createdAt = excluded.createdAt', pin, new Date().toISOString());
      this.sql.run('DELETE FROM ScreenSession');
    });
    this.touched.clear();
    return pin;
  }

  /** Lets a browser in if it gives the PIN: returns the token for its cookie, or null. */
  grant(pin: string, address: string): string | null {
    const expected = Buffer.from(this.pin());
    const given = Buffer.from(pin);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    const token = randomBytes(32).toString('base64url');
    const now = new Date().toISOString();
    this.sql.run('INSERT INTO ScreenSession (tokenHash, address, createdAt, lastSeenAt) VALUES (?, ?, ?, ?)', sha256(token), address, now, now);
    return token;
  }

  /** Whether a browser's token is one this terminal let in (and still does). */
  holds(token: string | undefined): boolean {
    if (!token) return false;
    const hash = sha256(token);
    if (!this.sql.get('SELECT 1 FROM ScreenSession WHERE tokenHash = ?', hash)) return false;
    const now = Date.now();
    if (now - (this.touched.get(hash) ?? 0) > TOUCH_EVERY_MS) {
      this.touched.set(hash, now);
      this.sql.run('UPDATE ScreenSession SET lastSeenAt = ? WHERE tokenHash = ?', new Date(now).toISOString(), hash);
    }
    return true;
  }

  /** How many browsers are let in. */
  screens(): number {
    return this.sql.get<{ n: number }>('SELECT COUNT(*) AS n FROM ScreenSession')!.n;
  }
}
