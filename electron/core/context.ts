import { AppError } from '#protocol/errors';
import type { DeviceRole } from '#protocol/events';
import type { TaxPolicy } from '#protocol/pricing';
import type { TerminalEvent } from './api/contract';
import type { LocalSql } from './db/localSql';
import type { TerminalReader } from './db/terminalDb';
import type { Settings } from './deviceSettings';
import type { MenuCache } from './menu/menuStore';
import type { TerminalClock } from './terminalClock';

/** A terminal whose first hello has told it who it is. */
export type Profile = Settings & {
  deviceId: string;
  role: DeviceRole;
  storeId: string;
  timeZone: string;
  currency: string;
  taxRateBp: number;
  pricesIncludeTax: boolean;
};

/** What the terminal's services share: its database, identity, clock and event stream. */
export interface CoreContext {
  /** Prisma, for reads. */
  read: TerminalReader;
  /** The write connection: every write, in synchronous transactions. */
  write: LocalSql;
  menus: MenuCache;
  settings(): Settings;
  clock(): TerminalClock;
  emit(event: TerminalEvent): void;
  /** Tells the sync client there is something new in the outbox. */
  outboxChanged(): void;
}

export function profileOf(ctx: CoreContext): Profile {
  const settings = ctx.settings();
  if (!settings.deviceId || !settings.role || !settings.storeId || !settings.timeZone) {
    throw new AppError('NOT_PROVISIONED', 'This terminal has not reached the server yet. Check its network connection.');
  }
  return settings as Profile;
}

export const taxPolicyOf = (profile: Profile): TaxPolicy => ({ taxRateBp: profile.taxRateBp, pricesIncludeTax: profile.pricesIncludeTax });
