// The reports as spreadsheets: the same rows as their JSON, money written in its currency (12.50
// EUR, 1250 JPY) so a spreadsheet can add it up, through the menu spreadsheet's writer (a header
// row, CRLF, UTF-8 with a byte order mark, cells that would run as formulas quoted).
import { spreadsheetFile } from '../menus/itemsCsvColumns';
import { minorDigits } from '../protocol/money';
import type { ItemMix, OrderMix, SalesByDay, SalesByHour, TicketTimes } from './reportSchemas';

/** An amount in minor units as a decimal number of its currency, with the currency's own digits. */
export function amountIn(minor: number, currency: string): string {
  const digits = minorDigits(currency);
  if (digits === 0) return String(minor);
  const whole = Math.abs(minor);
  const unit = 10 ** digits;
  return `${minor < 0 ? '-' : ''}${Math.floor(whole / unit)}.${String(whole % unit).padStart(digits, '0')}`;
}

const money = (row: { currency: string; orders: number; salesCents: number }) => [row.currency, row.orders, amountIn(row.salesCents, row.currency)];

export const salesByDayCsv = (report: SalesByDay) => spreadsheetFile(['day', 'currency', 'orders', 'sales'], report.rows.map((r) => [r.day, ...money(r)]));

export const salesByHourCsv = (report: SalesByHour) => spreadsheetFile(['hour', 'currency', 'orders', 'sales'], report.rows.map((r) => [r.hour, ...money(r)]));

export const itemMixCsv = (report: ItemMix) =>
  spreadsheetFile(
    ['item id', 'name', 'quantity', 'currency', 'sales'],
    report.rows.map((r) => [r.itemId, r.name, r.quantity, r.currency, amountIn(r.salesCents, r.currency)]),
  );

/** Stores, then stations, one table. */
export const ticketTimesCsv = (report: TicketTimes) =>
  spreadsheetFile(
    ['store or station', 'id', 'name', 'tickets', 'average seconds', 'p90 seconds'],
    [
      ...report.stores.map((r) => ['store', r.storeId, r.storeName, r.orders, r.avgSeconds, r.p90Seconds]),
      ...report.stations.map((r) => ['station', r.stationId, r.stationName, r.orders, r.avgSeconds, r.p90Seconds]),
    ],
  );

/** By service, then by payment, one table. */
export const orderMixCsv = (report: OrderMix) =>
  spreadsheetFile(
    ['by', 'way', 'currency', 'orders', 'sales'],
    [...report.service.map((r) => ['service', r.mode, ...money(r)]), ...report.payment.map((r) => ['payment', r.method, ...money(r)])],
  );
