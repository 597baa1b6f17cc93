// What a kiosk's receipt says, in the customer's language: the store, the big order number, how
// it is served, each line with its choices, the tax as the store's country writes it, how it was
// paid, and a QR code that opens the receipt page on the server.
import { formatMoney } from '#protocol/money';
import type { OrderRecord } from '#protocol/orders';
import type { StoreSettings } from '#protocol/events';
import { encodeReceipt, type Align, type PaperSettings, type ReceiptPart } from './receiptPaper';
import { RECEIPT_TEXTS, receiptLocale } from './receiptTexts';

export interface Receipt {
  order: OrderRecord;
  store: Pick<StoreSettings, 'name' | 'address' | 'timeZone' | 'taxRateBp' | 'pricesIncludeTax'>;
  /**
   * The order's signed link (`receiptUrl` of #protocol/receiptLink), printed as a QR code; null
   * while the kiosk has no receipt key yet (its server has not given one).
   */
  receiptUrl: string | null;
  /** The customer's language; the order's own `locale` when not given. */
  locale?: string;
}


export function receiptParts({ order, store, receiptUrl, locale = order.locale }: Receipt): ReceiptPart[] {
  const language = receiptLocale(locale);
  const t = RECEIPT_TEXTS[language];
  // The customer's own variant (en-GB, fr-CA) for dates and amounts, when it is of that language.
  const intlLocale = locale?.split('-')[0] === language ? locale : language;
  // Western digits in every language: a thermal printer's fonts have no others.
  const money = (cents: number) => formatMoney(cents, order.currency, intlLocale, { numberingSystem: 'latn' });
  const rate = new Intl.NumberFormat(intlLocale, { style: 'percent', maximumFractionDigits: 3, numberingSystem: 'latn' }).format(store.taxRateBp / 10_000);
  const placedAt = new Intl.DateTimeFormat(intlLocale, { dateStyle: 'medium', timeStyle: 'short', timeZone: store.timeZone, numberingSystem: 'latn' }).format(new Date(order.placedAt));
  const start: Align = t.direction === 'rtl' ? 'right' : 'left';

  const parts: ReceiptPart[] = [
    { kind: 'text', text: store.name, align: 'center', style: 'large' },
    ...store.address
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter(Boolean)
      .map((line): ReceiptPart => ({ kind: 'text', text: line, align: 'center' })),
    { kind: 'text', text: placedAt, align: 'center' },
    { kind: 'rule' },
    { kind: 'text', text: t.order, align: 'center' },
    { kind: 'text', text: order.number, align: 'center', style: 'huge' },
  ];
  if (order.service) {
    const { mode, table } = order.service;
    const served = mode === 'eat-in' ? t.eatIn : t.takeaway;
    parts.push({ kind: 'text', text: table ? `${served} · ${t.table(table)}` : served, align: 'center', style: 'bold' });
  }

  parts.push({ kind: 'rule' });
  for (const line of order.lines) {
    parts.push({ kind: 'row', label: `${line.quantity} × ${line.name}`, amount: money(line.lineTotalCents) });
    for (const modifier of line.modifiers) parts.push({ kind: 'row', label: `+ ${modifier.name}`, amount: '', indent: true });
  }

  parts.push({ kind: 'rule' });
  if (store.pricesIncludeTax) {
    parts.push({ kind: 'row', label: t.total, amount: money(order.totalCents), bold: true }, { kind: 'row', label: t.taxIncluded(rate), amount: money(order.taxCents) });
  } else {
    parts.push(
      { kind: 'row', label: t.subtotal, amount: money(order.subtotalCents) },
      { kind: 'row', label: t.tax(rate), amount: money(order.taxCents) },
      { kind: 'row', label: t.total, amount: money(order.totalCents), bold: true },
    );
  }

  const payment = order.payment;
  if (payment?.method === 'card') {
    parts.push(
      { kind: 'rule' },
      { kind: 'text', text: payment.last4 ? `${t.paidByCard} •••• ${payment.last4}` : t.paidByCard, align: start },
      { kind: 'text', text: [payment.cardBrand, `${t.reference} ${payment.reference}`].filter(Boolean).join(' · '), align: start },
    );
  } else if (payment?.method === 'counter') {
    parts.push(
      { kind: 'rule' },
      payment.status === 'unpaid' ? { kind: 'text', text: t.payAtCounterUnpaid, align: 'center', style: 'bold' } : { kind: 'text', text: t.paidAtCounter, align: start },
    );
  }

  if (receiptUrl) parts.push({ kind: 'space' }, { kind: 'text', text: t.scanForReceipt, align: 'center' }, { kind: 'qr', data: receiptUrl });
  parts.push({ kind: 'space' }, { kind: 'text', text: t.thankYou, align: 'center', style: 'bold' });
  return parts;
}

/** The receipt as ESC/POS bytes for a printer with this paper and code page. */
export function layoutReceipt(receipt: Receipt, paper: PaperSettings): Promise<Uint8Array> {
  const { direction } = RECEIPT_TEXTS[receiptLocale(receipt.locale ?? receipt.order.locale)];
  return encodeReceipt(receiptParts(receipt), paper, direction);
}
