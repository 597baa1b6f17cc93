// The receipt page a customer opens by scanning the QR code on their receipt: plain HTML written by
// the server, no script, readable on a phone, in the customer's language (Arabic right to left).
// Its one stylesheet is allowed by its hash in a strict Content-Security-Policy.
import { createHash } from 'node:crypto';
import { formatMoney, numberFormat } from '../protocol/money';
import type { Payment, Service } from '../protocol/orders';
import { taxOf, type TaxPolicy } from '../protocol/pricing';
import type { ReceiptMessages } from './receiptMessages';

/** A page and the headers it must be sent with. */
export interface RenderedPage {
  html: string;
  csp: string;
}

export interface ReceiptLine {
  quantity: number;
  name: string;
  lineTotalCents: number;
  /** The choices, each with its price change. */
  modifiers: Array<{ name: string; priceDeltaCents: number }>;
}

export interface Receipt {
  store: { name: string; address: string; timeZone: string } & TaxPolicy;
  /** The kiosk's brand colour; white text on it is readable (protocol/brandColour.ts). */
  brandColour: string;
  number: string;
  placedAt: Date;
  currency: string;
  lines: ReceiptLine[];
  subtotalCents: number;
  taxCents: number;
  totalCents: number;
  service: Service | null;
  payment: Payment | null;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
/**
 * Text from the store or the menu, in whatever script it is written: isolated, so a Latin address
 * or item name keeps its own order on an Arabic page ("3012 BR Rotterdam", not "BR Rotterdam 3012").
 */
const isolated = (text: string) => `<bdi>${escapeHtml(text)}</bdi>`;

/** Money in the order's currency, written the customer's way. */
const moneyIn = (locale: string, currency: string) => (cents: number) => formatMoney(cents, currency, locale);

/**
 * How the order's tax was charged, read from the order itself (a store may have changed its policy
 * since): included when the total is the subtotal, added when it is more. The rate is given only
 * when the store's current rate gives exactly the order's tax.
 */
function taxLine(receipt: Receipt, locale: string, say: ReceiptMessages): string {
  const included = receipt.totalCents === receipt.subtotalCents ? true : receipt.totalCents === receipt.subtotalCents + receipt.taxCents ? false : receipt.store.pricesIncludeTax;
  const label = included ? say.taxIncluded : say.taxAdded;
  const policy = { taxRateBp: receipt.store.taxRateBp, pricesIncludeTax: included };
  if (receipt.store.pricesIncludeTax !== included || taxOf(receipt.subtotalCents, policy) !== receipt.taxCents) return label;
  return `${label} (${numberFormat(locale, { style: 'percent', maximumFractionDigits: 2 }).format(receipt.store.taxRateBp / 10_000)})`;
}

function paymentPart(payment: Payment | null, at: (date: Date) => string, say: ReceiptMessages): string {
  if (!payment) return '';
  let lines: string[];
  if (payment.method === 'card') {
    const card = [payment.cardBrand, payment.last4 && `•••• ${payment.last4}`].filter(Boolean).join(' ');
    lines = [`<p><strong>${escapeHtml(say.card)}</strong>${card ? ` <bdi dir="ltr">${escapeHtml(card)}</bdi>` : ''}</p>`, `<p class="soft">${escapeHtml(say.paidAt(at(new Date(payment.paidAt))))}</p>`];
    lines.push(`<p class="soft">${escapeHtml(say.reference)} <bdi dir="ltr">${escapeHtml(payment.reference)}</bdi></p>`);
  } else if (payment.status === 'paid') {
    lines = [`<p><strong>${escapeHtml(say.counterPaid)}</strong></p>`];
    if (payment.paidAt) lines.push(`<p class="soft">${escapeHtml(say.paidAt(at(new Date(payment.paidAt))))}</p>`);
  } else {
    lines = [`<p class="due"><strong>${escapeHtml(payment.held ? say.counterHeld : say.counterUnpaid)}</strong></p>`];
  }
  return `<section aria-labelledby="payment"><h2 id="payment">${escapeHtml(say.payment)}</h2>${lines.join('')}</section>`;
}

function linesTable(receipt: Receipt, money: (cents: number) => string, say: ReceiptMessages): string {
  const rows = receipt.lines.map((line) => {
    const modifiers = line.modifiers.length
      ? `<ul class="choices">${line.modifiers.map((m) => `<li>${isolated(m.name)}${m.priceDeltaCents ? ` <span class="soft">${m.priceDeltaCents > 0 ? '+' : '−'}${escapeHtml(money(Math.abs(m.priceDeltaCents)))}</span>` : ''}</li>`).join('')}</ul>`
      : '';
    return `<tr><td class="qty">${line.quantity}×</td><td>${isolated(line.name)}${modifiers}</td><td class="money">${escapeHtml(money(line.lineTotalCents))}</td></tr>`;
  });
  return `<table><thead><tr><th scope="col" class="qty"><span class="hidden">${escapeHtml(say.quantity)}</span></th><th scope="col"><span class="hidden">${escapeHtml(say.item)}</span></th><th scope="col" class="money"><span class="hidden">${escapeHtml(say.amount)}</span></th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/** The receipt of an order the server holds. */
export function receiptPage(receipt: Receipt, locale: string, say: ReceiptMessages): RenderedPage {
  const money = moneyIn(locale, receipt.currency);
  const at = (date: Date) => new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeStyle: 'short', timeZone: receipt.store.timeZone }).format(date);
  const service = receipt.service
    ? `<p class="service">${escapeHtml([receipt.service.mode === 'eat-in' ? say.eatIn : say.takeaway, receipt.service.table && say.table(receipt.service.table)].filter(Boolean).join(' · '))}</p>`
    : '';
  const body = `
<header>
  <p class="store">${isolated(receipt.store.name)}</p>
  ${receipt.store.address ? `<address>${receipt.store.address.split('\n').map(isolated).join('<br>')}</address>` : ''}
</header>
<main>
  <h1>${escapeHtml(say.receipt)}</h1>
  <p class="number"><span class="soft">${escapeHtml(say.yourNumber)}</span> <strong><bdi dir="ltr">${escapeHtml(receipt.number)}</bdi></strong></p>
  <p class="soft"><time datetime="${receipt.placedAt.toISOString()}">${escapeHtml(at(receipt.placedAt))}</time></p>
  ${service}
  <section aria-labelledby="items">
    <h2 id="items">${escapeHtml(say.items)}</h2>
    ${linesTable(receipt, money, say)}
    <dl class="totals">
      <div><dt>${escapeHtml(say.subtotal)}</dt><dd>${escapeHtml(money(receipt.subtotalCents))}</dd></div>
      <div><dt>${escapeHtml(taxLine(receipt, locale, say))}</dt><dd>${escapeHtml(money(receipt.taxCents))}</dd></div>
      <div class="total"><dt>${escapeHtml(say.total)}</dt><dd>${escapeHtml(money(receipt.totalCents))}</dd></div>
    </dl>
  </section>
  ${paymentPart(receipt.payment, at, say)}
  <p class="thanks">${escapeHtml(say.thanks)}</p>
</main>`;
  return page({ locale, say, title: `${say.receipt} ${receipt.number} · ${receipt.store.name}`, body, brandColour: receipt.brandColour });
}

/** A signed link to an order the kiosk has not uploaded yet (it may be offline): the page looks again by itself. */
export function waitingPage(locale: string, say: ReceiptMessages, refreshSeconds: number): RenderedPage {
  const body = `
<main>
  <h1>${escapeHtml(say.waitingTitle)}</h1>
  <p>${escapeHtml(say.waiting)}</p>
</main>`;
  return page({ locale, say, title: say.waitingTitle, body, refreshSeconds });
}

/** Any link that does not open a receipt, whatever the reason: it says nothing of which part was wrong. */
export function notFoundPage(locale: string, say: ReceiptMessages): RenderedPage {
  return page({ locale, say, title: say.notFoundTitle, body: `<main><h1>${escapeHtml(say.notFoundTitle)}</h1><p>${escapeHtml(say.notFound)}</p></main>` });
}

export function busyPage(locale: string, say: ReceiptMessages): RenderedPage {
  return page({ locale, say, title: say.busyTitle, body: `<main><h1>${escapeHtml(say.busyTitle)}</h1><p>${escapeHtml(say.busy)}</p></main>` });
}

/** Tillsync's own green (the default brand colour): 6.0:1 with white. */
const HEAD_OFFICE_GREEN = '#1f6f50';

function page({ locale, say, title, body, brandColour = HEAD_OFFICE_GREEN, refreshSeconds }: { locale: string; say: ReceiptMessages; title: string; body: string; brandColour?: string; refreshSeconds?: number }): RenderedPage {
  const style = stylesheet(brandColour);
  const html = `<!doctype html>
<html lang="${locale}" dir="${say.dir}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
${refreshSeconds ? `<meta http-equiv="refresh" content="${refreshSeconds}">` : ''}
<title>${escapeHtml(title)}</title>
<style>${style}</style>
</head>
<body>${body}
</body>
</html>
`;
  const styleHash = createHash('sha256').update(style).digest('base64');
  return { html, csp: `default-src 'none'; style-src 'sha256-${styleHash}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'` };
}

/**
 * Ink #1a1a1a and soft #4d4d4d on white (17:1 and 8.5:1), white on the brand colour (4.5:1 or
 * more, as head office may only choose). Logical properties, so Arabic mirrors the page.
 */
const stylesheet = (brandColour: string) => `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: #f4f4f2; color: #1a1a1a; font: 1.0625rem/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans Arabic", sans-serif; }
header, main { max-width: 30rem; margin-inline: auto; }
header { background: ${brandColour}; color: #fff; padding: 1.25rem 1.25rem 1rem; }
header .store { margin: 0; font-size: 1.25rem; font-weight: 700; }
header address { font-style: normal; }
main { background: #fff; padding: 1.25rem; }
h1 { font-size: 1.5rem; margin: 0 0 0.5rem; }
h2 { font-size: 1.0625rem; margin: 1.5rem 0 0.5rem; border-block-end: 1px solid #d0d0d0; padding-block-end: 0.25rem; }
p { margin: 0.25rem 0; }
.soft { color: #4d4d4d; }
.number strong { display: block; font-size: 2.75rem; line-height: 1.1; letter-spacing: 0.04em; }
.service { font-weight: 600; }
table { width: 100%; border-collapse: collapse; }
td { padding: 0.4rem 0; vertical-align: top; }
td + td { padding-inline-start: 0.5rem; }
.qty { width: 2.75rem; white-space: nowrap; }
.money { text-align: end; white-space: nowrap; }
.choices { list-style: none; margin: 0.1rem 0 0; padding: 0; font-size: 0.9375rem; color: #4d4d4d; }
.hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
.totals { margin: 0.75rem 0 0; border-block-start: 1px solid #d0d0d0; padding-block-start: 0.5rem; }
.totals div { display: flex; justify-content: space-between; gap: 1rem; padding: 0.15rem 0; }
.totals dt, .totals dd { margin: 0; }
.totals dd { white-space: nowrap; }
.totals .total { font-size: 1.25rem; font-weight: 700; }
.due { color: #8a1c1c; }
.thanks { margin-block-start: 1.5rem; font-weight: 600; }
`;
