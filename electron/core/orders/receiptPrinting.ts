// The customer's paper receipt, printed once an order is placed. Printing never holds up the order:
// the order is placed first, and a printer that is off or out of paper only changes what the
// confirmation screen says (scan the QR code instead).
import type { OrderRecord } from '#protocol/orders';
import type { ReceiptView } from '../api/contract';
import type { CoreContext } from '../context';
import type { Receipt } from '../receipts/receiptLayout';
import { placedView } from './placeOrder';

/** Prints one order's receipt and says how it went; never throws. */
export type PrintReceipt = (order: OrderRecord) => Promise<Exclude<ReceiptView['state'], 'no-printer' | 'printing'>>;

/** What this kiosk prints for an order: its store as the kiosk knows it, and the order's signed link. */
export function receiptOf(ctx: CoreContext, order: OrderRecord): Receipt {
  const settings = ctx.settings();
  return {
    order,
    store: {
      name: settings.storeName ?? '',
      address: settings.storeAddress ?? '',
      timeZone: settings.timeZone ?? 'UTC',
      taxRateBp: settings.taxRateBp ?? 0,
      pricesIncludeTax: settings.pricesIncludeTax ?? true,
    },
    receiptUrl: placedView(ctx, order).receiptUrl,
  };
}

/** Receipts of the last orders are remembered for the confirmation screen; older ones are not asked about. */
const REMEMBERED = 50;

export class ReceiptPrinting {
  private readonly states = new Map<string, ReceiptView['state']>();

  constructor(
    private readonly print: PrintReceipt | null,
    private readonly changed: (orderId: string) => void,
  ) {}

  /** Prints the receipt of an order just placed, in the background. */
  placed(order: OrderRecord): void {
    if (!this.print) return;
    this.set(order.id, 'printing');
    void this.print(order).then(
      (state) => this.set(order.id, state),
      () => this.set(order.id, 'error'),
    );
  }

  view(orderId: string): ReceiptView {
    return { state: this.print ? (this.states.get(orderId) ?? 'error') : 'no-printer' };
  }

  private set(orderId: string, state: ReceiptView['state']): void {
    this.states.delete(orderId);
    this.states.set(orderId, state);
    if (this.states.size > REMEMBERED) this.states.delete(this.states.keys().next().value!);
    this.changed(orderId);
  }
}
