import { businessDay } from '#protocol/businessDay';
import { parseHlc } from '#protocol/hlc';
import type { OrderStatus } from '#protocol/orders';
import type { BoardView } from '../api/contract';
import { profileOf, type CoreContext } from '../context';
import { kitchenSettingsOf } from '../deviceSettings';

/**
 * The order-ready board: today's numbers still being prepared (oldest first) and those ready to
 * collect (most recently ready first, so a new one appears at the top). A ready number leaves when
 * it is collected (served), or after the store's time on the board if nobody says so.
 */
export async function getBoard(ctx: CoreContext): Promise<BoardView> {
  const profile = profileOf(ctx);
  const settings = kitchenSettingsOf(ctx.settings());
  const now = ctx.clock().now();
  const today = businessDay(new Date(now), profile.timeZone);
  // Straight from SQLite: the board reads on every change, and every few seconds. A held order is
  // not being made until it is paid for.
  const open = ctx.write.all<{ number: string; status: OrderStatus; statusHlc: string | null }>(
    `SELECT number, status, statusHlc FROM "Order" WHERE businessDay = ? AND status IN ('preparing', 'ready') AND awaitingPayment = 0 ORDER BY placedAt`,
    today,
  );
  const shownSince = now - settings.boardClearMinutes * 60_000;
  const menu = profile.menuVersionId ? await ctx.menus.document(profile.menuVersionId) : null;
  return {
    preparing: open.filter((o) => o.status === 'preparing').map((o) => o.number),
    ready: open
      .flatMap((o) => {
        const readyAt = o.status === 'ready' && o.statusHlc ? parseHlc(o.statusHlc)?.millis : undefined;
        return readyAt !== undefined && readyAt >= shownSince ? [{ number: o.number, readyAt }] : [];
      })
      .sort((a, b) => b.readyAt - a.readyAt)
      .map(({ number, readyAt }) => ({ number, readyAt: new Date(readyAt).toISOString() })),
    chime: settings.boardChime,
    locales: menu?.locales ?? ['en'],
  };
}
