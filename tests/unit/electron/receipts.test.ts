// Receipts end to end over real TCP: the kiosk's layout and printer link against the simulated
// ESC/POS network printer, which reads back what would come out on paper.
import { randomBytes } from 'node:crypto';
import { createServer, Socket, type AddressInfo, type Server } from 'node:net';
import fc from 'fast-check';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { indexMenu, type MenuIndex } from '#protocol/menu';
import { OrderRecordSchema, type OrderRecord } from '#protocol/orders';
import { priceOrder, type LineDraft, type TaxPolicy } from '#protocol/pricing';
import { receiptUrl } from '#protocol/receiptLink';
import { printReceipt, ReceiptPrinterEnvSchema, receiptPrinterFrom, type ReceiptPrinter } from '../../../electron/core/receipts/printerLink';
import type { Receipt } from '../../../electron/core/receipts/receiptLayout';
import type { PaperSettings } from '../../../electron/core/receipts/receiptPaper';
import { textStrip } from '../../../electron/core/receipts/textRaster';
import { ReceiptPrinterSimulator } from '../../../electron/simulators/receiptPrinter';
import { EscPosReader, type PrintedReceipt } from '../../../electron/simulators/receiptPrinterParser';
import { DEMO_VERSION_ID, demoMenuIndex, loadDemoMenu } from '../../support/demoMenu';

const ORDER_ID = '0195f3c8-0000-7000-8000-0000000000a1';
const DEVICE_ID = '8a6e0804-2bd0-4672-b79a-d97ee3b6c1d0';
const RECEIPT_URL = receiptUrl('https://sync.example.com', randomBytes(32).toString('base64url'), DEVICE_ID, ORDER_ID);
const PARIS = { name: 'Tillsync Café & Bar', address: '12 Rue de la Paix\n75002 Paris', timeZone: 'Europe/Paris', taxRateBp: 900, pricesIncludeTax: true };
const CARD = {
  method: 'card',
  status: 'paid',
  provider: 'card-terminal',
  transactionId: '5b0c7d4e-1f2a-4b3c-8d9e-0a1b2c3d4e5f',
  reference: 'T-839201',
  amountCents: 0,
  cardBrand: 'Visa',
  last4: '4242',
  paidAt: '2026-12-02T11:16:00.000Z',
  failedAttempts: 0,
} as const;
/** Two flat whites (large, oat milk, extra shot) and a croissant (warmed). */
const LINES: LineDraft[] = [
  { itemId: 'flat-white', quantity: 2, optionIds: ['size-large', 'milk-oat', 'extra-shot'] },
  { itemId: 'croissant', quantity: 1, optionIds: ['serve-warm'] },
];

/** An order as the feed would carry it, priced by the one pricing rule from the demo menu. */
function placedOrder(menu: MenuIndex, tax: TaxPolicy, details: Partial<OrderRecord>): OrderRecord {
  const priced = priceOrder(menu, LINES, tax);
  return OrderRecordSchema.parse({
    id: ORDER_ID,
    deviceId: DEVICE_ID,
    number: 'A042',
    businessDay: '2026-12-02',
    placedAt: '2026-12-02T11:15:00.000Z',
    menuVersionId: DEMO_VERSION_ID,
    status: 'preparing',
    statusHlc: null,
    ...priced,
    ...details,
  });
}

const eatInByCard = (locale: string, menu = demoMenuIndex()) => {
  const order = placedOrder(menu, PARIS, { locale, service: { mode: 'eat-in', table: '12' } });
  return { order: { ...order, payment: { ...CARD, amountCents: order.totalCents } }, store: PARIS, receiptUrl: RECEIPT_URL } satisfies Receipt;
};

let simulator: ReceiptPrinterSimulator;
let printer: ReceiptPrinter;
const closers: Array<() => Promise<unknown>> = [];

beforeEach(async () => {
  simulator = new ReceiptPrinterSimulator();
  const port = await simulator.listen(0);
  printer = { host: '127.0.0.1', port, paper: { columns: 48, codepage: 'windows1252' }, askStatus: true };
});
afterEach(async () => {
  await simulator.close();
  for (const close of closers.splice(0)) await close();
});

async function printed(receipt: Receipt, paper: PaperSettings = printer.paper): Promise<PrintedReceipt> {
  const before = simulator.printed;
  expect(await printReceipt({ ...printer, paper }, receipt)).toEqual({ printed: true, paperLow: false });
  const receipts = await simulator.waitForReceipts(before + 1);
  return receipts.at(-1)!;
}

const row = (label: string, amount: string) => new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} +${amount.replace(/[.$]/g, '\\$&')}$`);

describe('a receipt on paper', () => {
  it('English, eat in at a table, paid by card, tax included: every part is there and the QR code is the signed link', async () => {
    const receipt = await printed(eatInByCard('en'));

    // 2 × (3.90 + 0.60 large + 0.50 oat + 0.70 shot) = 11.40; croissant 2.60; 14.00 with 9 % in it: 1.16.
    expect(receipt.lines).toEqual([
      'Tillsync Café & Bar',
      '12 Rue de la Paix',
      '75002 Paris',
      'Dec 2, 2026, 12:15 PM',
      '-'.repeat(48),
      'Order',
      'A042',
      'Eat in · Table 12',
      '-'.repeat(48),
      expect.stringMatching(row('2 × Flat White', '€11.40')),
      '+ Large',
      '+ Oat milk',
      '+ Extra shot',
      expect.stringMatching(row('1 × Butter Croissant', '€2.60')),
      '+ Warmed',
      '-'.repeat(48),
      expect.stringMatching(row('Total', '€14.00')),
      expect.stringMatching(row('incl. VAT 9%', '€1.16')),
      '-'.repeat(48),
      'Paid by card •••• 4242',
      'Visa · Ref. T-839201',
      'Scan for your receipt',
      'Thank you!',
    ]);
    expect(receipt.qrCodes).toEqual([RECEIPT_URL]);
    expect(receipt.images).toEqual([]);
    expect(receipt.cut).toBe('full');
    expect(receipt.codepages).toEqual(['windows1252']);
    expect(receipt.unknownCommands).toBe(0);
    const number = receipt.items.find((i) => i.kind === 'text' && i.text.trim() === 'A042');
    expect(number).toMatchObject({ size: { width: 3, height: 3 }, bold: true });
    const total = receipt.items.find((i) => i.kind === 'text' && i.text.startsWith('Total'));
    expect(total).toMatchObject({ bold: true });
    // Amounts line up against the right edge of a 48-column line.
    for (const line of receipt.items.filter((i) => i.kind === 'text' && /€\d/.test(i.text))) expect(line.kind === 'text' && line.text.length).toBe(48);
  });

  it('US style, tax added, take away, pay at the counter: subtotal, tax and total', async () => {
    const store = { name: 'Tillsync Diner', address: '500 Market St, San Francisco, CA', timeZone: 'America/Los_Angeles', taxRateBp: 863, pricesIncludeTax: false };
    const order = placedOrder(demoMenuIndex(), store, {
      currency: 'USD',
      locale: 'en-US',
      service: { mode: 'takeaway' },
      payment: { method: 'counter', status: 'unpaid', held: false },
    });
    const receipt = await printed({ order, store, receiptUrl: RECEIPT_URL }, { columns: 42, codepage: 'windows1252' });

    // 14.00 + 8.63 % = 1.2082 → 1.21 tax, 15.21 in all.
    expect(order).toMatchObject({ subtotalCents: 1400, taxCents: 121, totalCents: 1521 });
    expect(receipt.lines).toEqual(
      expect.arrayContaining([
        'Take away',
        expect.stringMatching(row('2 × Flat White', '$11.40')),
        expect.stringMatching(row('Subtotal', '$14.00')),
        expect.stringMatching(row('Tax 8.63%', '$1.21')),
        expect.stringMatching(row('Total', '$15.21')),
        'Pay at the counter — unpaid',
        'Dec 2, 2026, 3:15 AM',
      ]),
    );
    expect(receipt.lines.some((l) => l.startsWith('Paid'))).toBe(false);
    for (const line of receipt.items.filter((i) => i.kind === 'text' && /\$\d/.test(i.text))) expect(line.kind === 'text' && line.text.length).toBe(42);
    expect(receipt.qrCodes).toEqual([RECEIPT_URL]);
  });

  it('French: accents, €, œ and the narrow spaces of French amounts come out right in each code page', async () => {
    const menu = indexMenu(DEMO_VERSION_ID, {
      ...loadDemoMenu(),
      items: loadDemoMenu().items.map((item) => (item.id === 'croissant' ? { ...item, name: { ...item.name, en: 'Croissant, œuf brouillé' } } : item)),
    });
    const fr = eatInByCard('fr', menu);

    const windows = await printed(fr);
    expect(windows.codepages).toEqual(['windows1252']);
    expect(windows.lines).toEqual(
      expect.arrayContaining([
        'Commande',
        'Sur place · Table 12',
        '2 déc. 2026, 12:15',
        expect.stringMatching(row('2 × Flat White', '11,40 €')),
        expect.stringMatching(/^1 × Croissant, œuf brouillé +2,60 €$/),
        expect.stringMatching(row('Total', '14,00 €')),
        expect.stringMatching(row('dont TVA 9 %', '1,16 €')),
        'Payé par carte •••• 4242',
        'Visa · Réf. T-839201',
        'Scannez pour retrouver votre reçu',
        'Merci de votre visite !',
      ]),
    );

    // PC858 (ESC t 19) has é, × and € but no œ or •: those print as their nearest ASCII.
    const pc858 = await printed(fr, { columns: 48, codepage: 'cp858' });
    expect(pc858.codepages).toEqual(['cp858']);
    expect(pc858.lines).toEqual(expect.arrayContaining([expect.stringMatching(/^1 × Croissant, oeuf brouillé +2,60 €$/), 'Payé par carte **** 4242', 'Scannez pour retrouver votre reçu']));

    // PC437, every printer's factory code page, has é but neither À nor €.
    const pc437 = await printed({ ...fr, order: { ...fr.order, service: { mode: 'takeaway' } } }, { columns: 48, codepage: 'cp437' });
    expect(pc437.lines).toEqual(expect.arrayContaining(['A emporter', expect.stringMatching(row('Total', '14,00 EUR')), 'Payé par carte **** 4242']));
    for (const receipt of [windows, pc858, pc437]) {
      expect(receipt.lines.join('\n')).not.toMatch(/[?\ufffd]/);
      expect(receipt.images).toEqual([]);
    }
  });

  it('Arabic: the words are drawn as pictures, the number, amounts and QR code stay printer text', async () => {
    const receipt = await printed(eatInByCard('ar'));

    // Drawn: the date, "order number", eat in · table, total, VAT, paid by card, its reference,
    // "scan for your receipt" and "thank you": nine strips the full width of the paper.
    expect(receipt.images).toHaveLength(9);
    for (const image of receipt.images) {
      expect(image.width).toBe(576);
      expect(image.height).toBeGreaterThanOrEqual(24);
    }
    // Nothing Arabic went through a code page (it would print as ? or as unjoined letters).
    expect(receipt.lines.join('\n')).not.toMatch(/[\u0600-\u06ff?\ufffd]/);
    expect(receipt.lines).toEqual([
      'Tillsync Café & Bar',
      '12 Rue de la Paix',
      '75002 Paris',
      '-'.repeat(48),
      'A042',
      '-'.repeat(48),
      expect.stringMatching(row('2 × Flat White', '11.40 €')),
      '+ Large',
      '+ Oat milk',
      '+ Extra shot',
      expect.stringMatching(row('1 × Butter Croissant', '2.60 €')),
      '+ Warmed',
      '-'.repeat(48),
      '14.00 €',
      '1.16 €',
      '-'.repeat(48),
    ]);
    // Arabic reads from the right: an amount under its drawn label ends at the right edge.
    const total = receipt.items.find((i) => i.kind === 'text' && i.text.trim() === '14.00 €');
    expect(total).toMatchObject({ text: `${' '.repeat(41)}14.00 €`, bold: true });
    expect(receipt.qrCodes).toEqual([RECEIPT_URL]);
    expect(receipt.cut).toBe('full');
  });

  it('a menu written in Arabic prints its item names drawn, with their amounts as text', async () => {
    const menu = indexMenu(DEMO_VERSION_ID, { ...loadDemoMenu(), defaultLocale: 'ar' });
    const receipt = await printed(eatInByCard('en', menu));

    expect(receipt.lines).toEqual(expect.arrayContaining(['Order', 'A042', 'Eat in · Table 12', '€11.40', '€2.60', expect.stringMatching(row('Total', '€14.00'))]));
    // 2 items and 4 options, each drawn on a strip of its own.
    expect(receipt.images).toHaveLength(6);
    expect(receipt.lines.join('\n')).not.toMatch(/[\u0600-\u06ff?]/);
  });
});

describe('drawn text', () => {
  /** Columns of the strip with any black dot, from the left. */
  async function inkedColumns(text: string, align: 'left' | 'right', direction: 'ltr' | 'rtl'): Promise<{ first: number; last: number; width: number }> {
    const { data, info } = await textStrip(text, 576, { align, size: 'normal', direction });
    const { data: grey } = await sharp(data, { raw: { width: info.width, height: info.height, channels: 4 } }).greyscale().raw().toBuffer({ resolveWithObject: true });
    const inked = Array.from({ length: info.width }, (_, x) => Array.from({ length: info.height }, (_, y) => grey[y * info.width + x]!).some((v) => v < 128));
    return { first: inked.indexOf(true), last: inked.lastIndexOf(true), width: info.width };
  }

  it('joins Arabic letters (shaping) and sets the line against the right edge', async () => {
    const word = await inkedColumns('الإجمالي', 'right', 'rtl');
    expect(word.width).toBe(576);
    expect(word.last).toBeGreaterThan(560);
    expect(word.first).toBeGreaterThan(300);
    // The same letters kept apart by zero-width non-joiners take their wider isolated forms.
    const apart = await inkedColumns([...'الإجمالي'].join('\u200c'), 'right', 'rtl');
    expect(word.last - word.first).toBeLessThan(apart.last - apart.first);
  });
});

describe('the printer', () => {
  const anOrder = () => eatInByCard('en');

  it('switched off (nothing listens on its port): offline at once', async () => {
    const { port } = printer;
    await simulator.close();
    const asked = Date.now();
    expect(await printReceipt(printer, anOrder())).toMatchObject({ printed: false, problem: 'offline', detail: expect.stringContaining('ECONNREFUSED') });
    expect(Date.now() - asked).toBeLessThan(1_000);
    expect(port).toBeGreaterThan(0);
  });

  it('off line (drops every connection): offline at once, nothing printed', async () => {
    simulator.state = 'offline';
    const asked = Date.now();
    expect(await printReceipt(printer, anOrder())).toMatchObject({ printed: false, problem: 'offline' });
    expect(Date.now() - asked).toBeLessThan(1_000);
    expect(simulator.printed).toBe(0);
  });

  it('that never answers its status: offline once the status wait is over, and printed when told not to ask', async () => {
    simulator.answersStatus = false;
    const asked = Date.now();
    expect(await printReceipt(printer, anOrder())).toMatchObject({ printed: false, problem: 'offline', detail: expect.stringContaining('did not answer its status within 2000 ms') });
    const waited = Date.now() - asked;
    expect(waited).toBeGreaterThanOrEqual(1_900);
    expect(waited).toBeLessThan(3_500);
    expect(simulator.printed).toBe(0);

    expect(await printReceipt({ ...printer, askStatus: false }, anOrder())).toEqual({ printed: true, paperLow: false });
    const [receipt] = await simulator.waitForReceipts(1);
    expect(receipt!.qrCodes).toEqual([RECEIPT_URL]);
  });

  it.each([
    ['paper-out', 'no-paper'],
    ['cover-open', 'cover-open'],
    ['error', 'error'],
  ] as const)('%s: %s, and the receipt is not sent', async (state, problem) => {
    simulator.state = state;
    expect(await printReceipt(printer, anOrder())).toMatchObject({ printed: false, problem });
    expect(simulator.statusQueries).toBe(3);
    expect(simulator.printed).toBe(0);
    expect(simulator.notPrinted).toBe(0);

    simulator.state = 'online';
    expect(await printReceipt(printer, anOrder())).toEqual({ printed: true, paperLow: false });
    expect(simulator.printed).toBe(1);
  });

  it('with its paper running low: prints, and says so', async () => {
    simulator.state = 'paper-low';
    expect(await printReceipt(printer, anOrder())).toEqual({ printed: true, paperLow: true });
    await simulator.waitForReceipts(1);
  });

  it('something else on the printer port (a web server): an error, not a print', async () => {
    const server: Server = createServer((socket) => socket.once('data', () => socket.end('HTTP/1.1 400 Bad Request\r\n\r\n')));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(() => new Promise((resolve) => server.close(resolve)));
    const port = (server.address() as AddressInfo).port;
    expect(await printReceipt({ ...printer, port }, anOrder())).toMatchObject({ printed: false, problem: 'error', detail: expect.stringContaining('not with ESC/POS status bytes') });
  });

  it('takes garbage and unknown commands without falling over, and prints the next receipt right', async () => {
    const send = (bytes: Uint8Array) =>
      new Promise<void>((resolve, reject) => {
        const socket = new Socket();
        socket.on('error', reject);
        socket.on('close', () => resolve());
        // Status answers to stray DLE EOTs come back: read them, or the socket never closes.
        socket.resume();
        socket.connect(printer.port, '127.0.0.1', () => socket.end(bytes));
      });
    await send(randomBytes(64 * 1024));
    // Commands cut short, lengths past any picture, unknown ESC and GS letters, a status query mid-text.
    await send(Uint8Array.of(0x1b, 0x7a, 0x1d, 0x7a, 0x41, 0x1d, 0x76, 0x30, 0x00, 0xff, 0xff, 0xff, 0xff, 0x42, 0x10, 0x04, 0x01, 0x43, 0x0a, 0x1d, 0x28, 0x6b));
    await send(Uint8Array.of(0x1d, 0x38, 0x4c, 0xff, 0xff, 0xff, 0xff, 0x44, 0x0a, 0x1d, 0x56, 0x00));

    const receipt = await printed(anOrder());
    expect(receipt.unknownCommands).toBe(0);
    expect(receipt.lines).toContain('Paid by card •••• 4242');
    expect(receipt.qrCodes).toEqual([RECEIPT_URL]);
  });

  it('reads any byte stream, cut anywhere, without throwing', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), fc.array(fc.nat({ max: 2000 }), { maxLength: 8 }), (bytes, cuts) => {
        const reader = new EscPosReader({ statusQuery: () => {}, receipt: () => {} });
        let from = 0;
        for (const cut of [...cuts.sort((a, b) => a - b), bytes.length]) {
          reader.feed(bytes.subarray(from, Math.max(from, cut)));
          from = Math.max(from, cut);
        }
        reader.end();
      }),
      { numRuns: 300 },
    );
  });
});

describe('the printer setting', () => {
  const parse = (env: Record<string, string>) => ReceiptPrinterEnvSchema.safeParse(env);

  it('is an address with port 9100 unless given, 48 columns and Windows-1252 unless told', () => {
    expect(receiptPrinterFrom(parse({ TILLSYNC_RECEIPT_PRINTER: '192.168.1.50' }).data!)).toEqual({
      host: '192.168.1.50',
      port: 9100,
      paper: { columns: 48, codepage: 'windows1252' },
      askStatus: true,
    });
    expect(
      receiptPrinterFrom(parse({ TILLSYNC_RECEIPT_PRINTER: 'printer.lan:9101', TILLSYNC_RECEIPT_COLUMNS: '42', TILLSYNC_RECEIPT_CODEPAGE: 'cp858', TILLSYNC_RECEIPT_STATUS: 'skip' }).data!),
    ).toEqual({ host: 'printer.lan', port: 9101, paper: { columns: 42, codepage: 'cp858' }, askStatus: false });
    expect(receiptPrinterFrom(parse({ TILLSYNC_RECEIPT_PRINTER: '[fd00::50]:9100' }).data!)).toMatchObject({ host: 'fd00::50', port: 9100 });
    expect(receiptPrinterFrom(parse({}).data!)).toBeUndefined();
  });

  it.each([
    ['TILLSYNC_RECEIPT_PRINTER', 'http://printer.lan'],
    ['TILLSYNC_RECEIPT_PRINTER', 'printer.lan:70000'],
    ['TILLSYNC_RECEIPT_PRINTER', 'printer.lan:'],
    ['TILLSYNC_RECEIPT_COLUMNS', '40'],
    ['TILLSYNC_RECEIPT_CODEPAGE', 'utf8'],
    ['TILLSYNC_RECEIPT_STATUS', 'maybe'],
  ])('refuses %s=%s, naming it', (name, value) => {
    const parsed = parse({ TILLSYNC_RECEIPT_PRINTER: 'printer.lan', [name]: value });
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues[0]!.path).toEqual([name]);
  });
});
