import { businessDay } from '#protocol/businessDay';
import type { BoardView } from '../api/contract';
import { profileOf, type CoreContext } from '../context';

/**
 * The order-ready board: today's numbers still being prepared (oldest first) and those ready to
 * collect (most recently ready first, so a new one appears at the top).
 */
export async function getBoard(ctx: CoreContext): Promise<BoardView> {
  const profile = profileOf(ctx);
  const today = businessDay(new Date(ctx.clock().now()), profile.timeZone);
  const open = await ctx.read.order.findMany({
    // A held order is not being made until it is paid for.
    where: { businessDay: today, status: { in: ['preparing', 'ready'] }, awaitingPayment: false },
    select: { number: true, status: true, placedAt: true, statusHlc: true },
    orderBy: { placedAt: 'asc' },
  });
  return {
    preparing: open.filter((o) => o.status === 'preparing').map((o) => o.number),
    ready: open
      .filter((o) => o.status === 'ready')
      .sort((a, b) => ((b.statusHlc ?? '') > (a.statusHlc ?? '') ? 1 : -1))
      .map((o) => o.number),
  };
}
