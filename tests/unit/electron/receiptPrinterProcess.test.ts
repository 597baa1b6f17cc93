// The receipt printer simulator as the demo runs it: a process of its own, driven through its
// control URL, writing what it prints to a folder for a person to read.
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { OrderRecordSchema } from '#protocol/orders';
import { priceOrder } from '#protocol/pricing';
import { receiptUrl } from '#protocol/receiptLink';
import { printReceipt, type ReceiptPrinter } from '../../../electron/core/receipts/printerLink';
import type { Receipt } from '../../../electron/core/receipts/receiptLayout';
import { runTs, type Child } from '../../support/childProcess';
import { DEMO_VERSION_ID, demoMenuIndex } from '../../support/demoMenu';

const MAIN = 'electron/simulators/receiptPrinterMain.ts';
const ORDER_ID = '0195f3c8-0000-7000-8000-0000000000b2';
const DEVICE_ID = '8a6e0804-2bd0-4672-b79a-d97ee3b6c1d0';
const RECEIPT_URL = receiptUrl('https://sync.example.com', randomBytes(32).toString('base64url'), DEVICE_ID, ORDER_ID);
const store = { name: 'Tillsync Café', address: '1 Quay Street', timeZone: 'Europe/Dublin', taxRateBp: 1350, pricesIncludeTax: true };
const receipt: Receipt = {
  order: OrderRecordSchema.parse({
    id: ORDER_ID,
    deviceId: DEVICE_ID,
    number: 'B007',
    businessDay: '2026-12-02',
    placedAt: '2026-12-02T09:30:00.000Z',
    menuVersionId: DEMO_VERSION_ID,
    status: 'preparing',
    statusHlc: null,
    locale: 'en',
    service: { mode: 'takeaway' },
    payment: { method: 'counter', status: 'unpaid', held: true },
    ...priceOrder(demoMenuIndex(), [{ itemId: 'espresso', quantity: 1, optionIds: [] }], store),
  }),
  store,
  receiptUrl: RECEIPT_URL,
};

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function control(url: string, method: 'GET' | 'PUT', path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${url}${path}`, {
    method,
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

describe('the receipt printer simulator process', () => {
  it('refuses arguments it does not understand, saying how to run it', async () => {
    const wrong = runTs(MAIN, {}, [], ['--port', 'ninety-one-hundred']);
    expect(await wrong.exited).toBe(2);
    const state = runTs(MAIN, {}, [], ['--port', '0', '--state', 'jammed']);
    expect(await state.exited).toBe(2);
  });

  it('prints its port, is driven through its control URL, and writes each receipt to its folder', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'tillsync-receipts-'));
    cleanups.push(() => rm(folder, { recursive: true, force: true }));
    const device: Child = runTs(MAIN, {}, [], ['--port', '0', '--control-port', '0', '--receipts-dir', folder]);
    cleanups.push(() => device.kill('SIGKILL'));
    const { port, controlUrl } = JSON.parse(await device.waitFor(/^\{"port":/)) as { port: number; controlUrl: string };
    expect(port).toBeGreaterThan(0);
    const printer: ReceiptPrinter = { host: '127.0.0.1', port, paper: { columns: 48, codepage: 'windows1252' }, askStatus: true };

    expect(await control(controlUrl, 'PUT', '/sim/state', { state: 'paper-out' })).toMatchObject({ status: 200, json: { state: 'paper-out' } });
    expect(await printReceipt(printer, receipt)).toMatchObject({ printed: false, problem: 'no-paper' });
    expect((await control(controlUrl, 'GET', '/sim/state')).json).toEqual({ state: 'paper-out', answersStatus: true, printed: 0, notPrinted: 0, statusQueries: 3 });

    const refused = await control(controlUrl, 'PUT', '/sim/state', { state: 'jammed' });
    expect(refused.status).toBe(400);
    expect(refused.json.error).toMatch(/state.*online, paper-low, paper-out, cover-open, error, offline/);

    await control(controlUrl, 'PUT', '/sim/state', { state: 'online' });
    expect(await printReceipt(printer, receipt)).toEqual({ printed: true, paperLow: false });
    const { json } = await control(controlUrl, 'GET', '/sim/receipts');
    const [printed] = json.receipts as Array<{ lines: string[]; qrCodes: string[] }>;
    expect(printed!.qrCodes).toEqual([RECEIPT_URL]);
    expect(printed!.lines).toEqual(expect.arrayContaining(['B007', 'Take away', 'Pay at the counter — unpaid']));

    // The folder has it as a person would read it off the paper.
    await expect.poll(async () => (await readdir(folder)).length).toBe(1);
    const [file] = await readdir(folder);
    const text = await readFile(join(folder, file!), 'utf8');
    expect(text).toContain('B007');
    expect(text).toContain(`[QR code: ${RECEIPT_URL}]`);
    expect(text).toMatch(/--- full cut ---\n$/);

    await device.kill('SIGTERM');
    expect(await device.exited).toBe(0);
    expect(await printReceipt(printer, receipt)).toMatchObject({ printed: false, problem: 'offline' });
  });
});
