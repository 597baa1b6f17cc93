// The page behind the QR code on a customer's receipt: the receipt in the customer's language (Arabic
// right to left), with the store, the number, how it is served, every line and choice, tax as the
// store charges it, and the payment; a page that waits for an order the kiosk has not sent yet;
// and for every link the kiosk did not sign, one 404 that tells nothing. No script may run on it.
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registerDevice } from '../../sync-server/devices/deviceTokens';
import { DEFAULT_LIMITS } from '../../sync-server/limits/budgets';
import type { PushResponse } from '#protocol/events';
import { indexMenu, type MenuIndex } from '#protocol/menu';
import type { OrderUpload } from '#protocol/orders';
import { taxOf } from '#protocol/pricing';
import { receiptSignature, receiptUrl } from '#protocol/receiptLink';
import { DEMO_STORE, loadDemoMenuDocument } from '../../sync-server/seed/seedDemo';
import { adminClient } from '../support/adminClient';
import { COOKIE, LATTE, orderUpload } from '../support/orderUploads';
import { connectReadingPayments, paidByCard, payAtCounter } from '../support/payments';
import type { ProtocolClient } from '../support/protocolClient';
import { startTestStack, type StackOptions, type TestStack } from '../support/testStack';

let stack: TestStack;
let menu: MenuIndex;
let kiosk: ProtocolClient & { hello: { device: { id: string; orderPrefix: string | null }; receiptKey?: string } };
let numbers: number;

async function start(options: StackOptions = {}) {
  stack = await startTestStack(undefined, options);
  menu = indexMenu(stack.menuVersionId, await loadDemoMenuDocument());
  kiosk = await connectReadingPayments(stack.url, (await registerDevice(stack.db, { storeId: stack.storeId, role: 'kiosk', name: 'Door' })).token);
  numbers = 0;
}
afterEach(async () => {
  kiosk.close();
  await stack.close();
});

const next = () => `${kiosk.hello.device.orderPrefix}${String(++numbers).padStart(3, '0')}`;
async function upload(order: OrderUpload) {
  const answer = await kiosk.request<PushResponse>('mutations:push', { mutations: [{ id: numbers, kind: 'order.place', order }] });
  expect(answer).toMatchObject({ ok: true, data: { results: [{ outcome: 'applied' }] } });
}
/** The link the kiosk prints for `orderId`. */
const linkTo = (orderId: string) => receiptUrl(stack.url, kiosk.hello.receiptKey!, kiosk.hello.device.id, orderId);
const open = async (url: string, language = 'en-GB,en;q=0.8') => {
  const response = await fetch(url, { headers: { 'accept-language': language } });
  return { status: response.status, headers: response.headers, html: await response.text() };
};
/** Spaces (a no-break one too) run together. */
const plain = (text: string) => text.replace(/\s+/g, ' ');
/** The page's text as a reader hears it: tags gone, characters written out, spaces run together. */
const textOf = (html: string) =>
  plain(
    html
      .replace(/<head>[\s\S]*<\/head>/, '')
      .replace(/<[^>]+>/g, ' ')
      .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code))),
  );
/** Money and times as the page writes them in `locale`. */
const moneyIn = (locale: string) => (cents: number) => plain(new Intl.NumberFormat(locale, { style: 'currency', currency: 'EUR' }).format(cents / 100));
const timeIn = (locale: string, at: Date) => plain(new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeStyle: 'short', timeZone: DEMO_STORE.timeZone }).format(at));

describe('a receipt', () => {
  beforeEach(() => start());

  it('shows the store, the number, how it is served, every line and choice, tax included, and the card that paid', async () => {
    const owner = await adminClient(stack.db, stack.url);
    await owner.request('PATCH', `/api/stores/${stack.storeId}`, { address: 'Oudegracht 158\n3511 AZ Utrecht', kiosk: { brandColour: '#8a1538' } });
    const placedAt = new Date('2026-12-01T13:05:00Z');
    const order = paidByCard(
      orderUpload(menu, next(), [{ itemId: 'latte', quantity: 2, optionIds: ['size-large', 'milk-oat'] }, COOKIE], new Date(Date.now() - 60_000)),
      { reference: 'AUTH-7731', last4: '4242', cardBrand: 'Visa', paidAt: placedAt.toISOString() },
      { service: { mode: 'eat-in', table: '12' }, locale: 'en' },
    );
    await upload(order);
    const page = await open(linkTo(order.id));

    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.html).toMatch(/^<!doctype html>\n<html lang="en" dir="ltr">/);
    const text = textOf(page.html);
    const money = moneyIn('en');
    for (const part of [
      DEMO_STORE.name,
      'Oudegracht 158 3511 AZ Utrecht',
      `Receipt Your order number ${order.number} ${timeIn('en', new Date(order.placedAt))}`,
      'Eat in · Table 12',
      `2× Caffè Latte Large +€0.60 Oat milk +€0.50 ${money(order.lines[0]!.lineTotalCents)}`,
      `2× Chocolate Chip Cookie Warmed ${money(order.lines[1]!.lineTotalCents)}`,
      `Subtotal ${money(order.subtotalCents)}`,
      `Tax included (9%) ${money(order.taxCents)}`,
      `Total ${money(order.totalCents)}`,
      `Paid by card Visa •••• 4242 Paid ${timeIn('en', placedAt)}`,
      'Reference: AUTH-7731',
    ]) {
      expect(text).toContain(part);
    }
    // Landmarks, and the brand colour the kiosk uses (white text on it reads at 9.3:1).
    expect(page.html).toMatch(/<header>[\s\S]*<\/header>\s*<main>[\s\S]*<h1>Receipt<\/h1>[\s\S]*<\/main>/);
    expect(page.html).toContain('header { background: #8a1538; color: #fff;');
  });

  it('is strict about what the page may load and run: its one stylesheet, by hash, and no script', async () => {
    const order = paidByCard(orderUpload(menu, next(), [LATTE]));
    await upload(order);
    const page = await open(linkTo(order.id));
    const style = /<style>([\s\S]*)<\/style>/.exec(page.html)![1]!;
    expect(page.headers.get('content-security-policy')).toBe(
      `default-src 'none'; style-src 'sha256-${createHash('sha256').update(style).digest('base64')}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
    );
    expect(page.html).not.toMatch(/<script|\son\w+=/i);
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('cache-control')).toBe('no-store');
  });

  it('is in Arabic, right to left, for an order placed in Arabic, with the menu\'s Arabic names and tax as the order was priced', async () => {
    const owner = await adminClient(stack.db, stack.url);
    const order = payAtCounter(orderUpload(menu, next(), [LATTE]), true, { service: { mode: 'takeaway' }, locale: 'ar' });
    await upload(order);
    // Tax added on top since: the order still says it was included, as it was priced.
    await owner.request('PATCH', `/api/stores/${stack.storeId}`, { taxRateBp: 2100, pricesIncludeTax: false });
    const page = await open(linkTo(order.id));
    expect(page.status).toBe(200);
    expect(page.html).toContain('<html lang="ar" dir="rtl">');
    const text = textOf(page.html);
    // Money in the order's currency, written the Arabic way; no rate, since the store's is not the order's any more.
    const money = moneyIn('ar');
    for (const part of [
      'الإيصال',
      `رقم طلبك ${order.number} ${timeIn('ar', new Date(order.placedAt))}`,
      'طلب خارجي',
      `1× كافيه لاتيه عادي حليب كامل الدسم ${money(order.totalCents)}`,
      `المجموع الفرعي ${money(order.subtotalCents)}`,
      `الضريبة مشمولة ${money(order.taxCents)}`,
      `الإجمالي ${money(order.totalCents)}`,
      'الدفع لم يُدفع بعد: يُرجى الدفع عند الكاشير. يُحضَّر طلبك بعد الدفع.',
    ]) {
      expect(text).toContain(part);
    }

    // Staff take the money: the page says so, in French for a French order too.
    await kiosk.request('mutations:push', { mutations: [{ id: 50, kind: 'order.paid', orderId: order.id, paidAt: new Date().toISOString() }] });
    expect(textOf((await open(linkTo(order.id))).html)).toContain('مدفوع عند الكاشير');
    // Priced with tax on top, as the kiosk now does.
    const base = orderUpload(menu, next(), [COOKIE]);
    const taxCents = taxOf(base.subtotalCents, { taxRateBp: 2100, pricesIncludeTax: false });
    const french = paidByCard({ ...base, taxCents, totalCents: base.subtotalCents + taxCents }, {}, { service: { mode: 'eat-in' }, locale: 'fr' });
    await upload(french);
    const frenchText = textOf((await open(linkTo(french.id))).html);
    expect(frenchText).toContain('Reçu');
    expect(frenchText).toContain('Sur place');
    expect(frenchText).toContain(`Sous-total ${moneyIn('fr')(french.subtotalCents)} TVA (21 %) ${moneyIn('fr')(french.taxCents)} Total ${moneyIn('fr')(french.totalCents)}`);
    expect(frenchText).toMatch(/Référence : AUTH-/);
  });

  it('waits, and looks again by itself, for an order its kiosk has signed but not sent yet', async () => {
    const order = paidByCard(orderUpload(menu, next(), [LATTE]), {}, { locale: 'fr' });
    const waiting = await open(linkTo(order.id), 'fr-BE,fr;q=0.9');
    expect(waiting.status).toBe(200);
    expect(waiting.html).toContain('<meta http-equiv="refresh" content="15">');
    expect(waiting.html).toContain('<html lang="fr" dir="ltr">');
    expect(textOf(waiting.html)).toContain("Votre reçu s'affichera ici dès que la borne du restaurant l'aura envoyé.");
    expect(textOf((await open(linkTo(order.id), 'de')).html)).toContain("Your receipt will appear here when the store's kiosk has sent it.");

    await upload(order);
    const arrived = await open(linkTo(order.id), 'de');
    expect(arrived.html).not.toContain('http-equiv="refresh"');
    expect(textOf(arrived.html)).toContain('Payé par carte');
  });

  it('is one 404 for every link the kiosk did not sign, whatever is wrong with it', async () => {
    const order = paidByCard(orderUpload(menu, next(), [LATTE]));
    await upload(order);
    const good = new URL(linkTo(order.id));
    const other = await registerDevice(stack.db, { storeId: stack.storeId, role: 'kiosk', name: 'Window' });
    const signedBy = (deviceId: string, orderId: string) => new URL(`/receipt/${deviceId}/${orderId}?s=${good.searchParams.get('s')}`, stack.url).href;
    const otherKiosk = await connectReadingPayments(stack.url, other.token);
    const wrong = [
      `${good.origin}${good.pathname}?s=${'A'.repeat(22)}`,
      `${good.origin}${good.pathname}`,
      `${good.origin}${good.pathname}?s=${good.searchParams.get('s')}&s=again`,
      signedBy(other.device.id, order.id),
      signedBy('0195f3c8-0000-7000-8000-00000000dead', order.id),
      new URL(`/receipt/not-a-device/${order.id}?s=x`, stack.url).href,
      new URL(`/receipt/${kiosk.hello.device.id}/not-an-order?s=x`, stack.url).href,
      // Another kiosk's genuine signature of this kiosk's order: a kiosk shows only its own.
      receiptUrl(stack.url, otherKiosk.hello.receiptKey!, other.device.id, order.id),
      // A signature of another order under this kiosk's key.
      `${good.origin}${good.pathname}?s=${receiptSignature(kiosk.hello.receiptKey!, '0195f3c8-0000-7000-8000-00000000f00d')}`,
    ];
    otherKiosk.close();
    const pages = await Promise.all(wrong.map((url) => open(url)));
    expect(pages.map((p) => p.status)).toEqual(wrong.map(() => 404));
    expect(new Set(pages.map((p) => p.html)).size).toBe(1);
    expect(textOf(pages[0]!.html)).toContain('This link does not open a receipt.');
    expect(pages[0]!.headers.get('content-security-policy')).toMatch(/^default-src 'none'/);
    expect(pages[0]!.html).not.toContain(order.number);
    expect((await open(good.href)).status).toBe(200);
  });
});

describe('receipt pages from one address', () => {
  beforeEach(() => start({ limits: { ...DEFAULT_LIMITS, receipts: { points: 3, seconds: 60 } } }));

  it('are within a budget: then a page that says to wait, and when', async () => {
    const order = paidByCard(orderUpload(menu, next(), [LATTE]));
    await upload(order);
    for (let i = 0; i < 3; i++) expect((await open(linkTo(order.id))).status).toBe(200);
    const refused = await open(linkTo(order.id), 'ar');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.html).toContain('<html lang="ar" dir="rtl">');
    expect(textOf(refused.html)).toContain('حاول مرة أخرى بعد دقيقة');
  });
});
