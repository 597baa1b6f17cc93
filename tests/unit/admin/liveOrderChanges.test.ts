// The live orders page merges what the socket says as the terminals do: whatever order the changes
// arrive in, twice or late, the page ends up showing the same thing — the newest bump of the order
// and of each line, paid once paid, and a held order started when it was paid.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LiveOrder, LiveOrderChange } from '#admin-api';
import { formatHlc } from '#protocol/hlc';
import { applyChanges } from '../../../renderer/admin/src/liveOrderChanges';

const STORE = '0195f3c8-0000-7000-8000-00000000a001';
const ORDER = '0195f3c8-0000-7000-8000-0000000000b1';
const kitchens = ['0195f3c8-0000-7000-8000-00000000c001', '0195f3c8-0000-7000-8000-00000000c002'];
const at = (second: number, kitchen = 0) => formatHlc({ millis: Date.UTC(2026, 11, 2, 12, 0, second), counter: 0, deviceId: kitchens[kitchen]! });

/** A held counter order as the list gives it: nothing made, waiting for its money. */
const listed = (): LiveOrder => ({
  id: ORDER,
  storeId: STORE,
  number: 'A042',
  businessDay: '2026-12-02',
  placedAt: '2026-12-02T12:00:00.000Z',
  status: 'preparing',
  statusHlc: null,
  startedAt: null,
  payment: { method: 'counter', paid: false, held: true },
  service: { mode: 'takeaway' },
  currency: 'EUR',
  totalCents: 900,
  lines: [
    { lineNo: 1, name: 'Caffè Latte', quantity: 1, done: false, doneHlc: null },
    { lineNo: 2, name: 'Butter Croissant', quantity: 2, done: false, doneHlc: null },
  ],
});

/** Two kitchens bumping and recalling the same order, and staff taking its money. */
const CHANGES: LiveOrderChange[] = [
  { kind: 'order.paid', orderId: ORDER, paidAt: '2026-12-02T12:00:05.000Z' },
  { kind: 'order.lines', orderId: ORDER, lineNos: [1], done: true, hlc: at(10) },
  { kind: 'order.lines', orderId: ORDER, lineNos: [1, 2], done: true, hlc: at(20, 1) },
  { kind: 'order.lines', orderId: ORDER, lineNos: [2], done: false, hlc: at(30) },
  { kind: 'order.status', orderId: ORDER, status: 'ready', hlc: at(40) },
  // The same instant on the other kitchen: its device id sorts later, so it wins.
  { kind: 'order.status', orderId: ORDER, status: 'served', hlc: at(40, 1) },
  { kind: 'order.status', orderId: ORDER, status: 'preparing', hlc: at(35, 1) },
];

const merged = (changes: readonly LiveOrderChange[]) => {
  const orders = new Map([[ORDER, listed()]]);
  for (const change of changes) applyChanges(orders, { storeId: STORE, changes: [change] });
  return orders.get(ORDER)!;
};

describe('live order changes', () => {
  it('end in the same order whatever order they arrive in, and however often', () => {
    const expected = merged(CHANGES);
    expect(expected).toMatchObject({
      status: 'served',
      statusHlc: at(40, 1),
      startedAt: '2026-12-02T12:00:05.000Z',
      payment: { method: 'counter', paid: true, held: true },
      lines: [
        { lineNo: 1, done: true, doneHlc: at(20, 1) },
        { lineNo: 2, done: false, doneHlc: at(30) },
      ],
    });
    // Every change at least once, some again (heard in the list's catch-up and on the socket), in any order.
    const arrivals = fc.array(fc.constantFrom(...CHANGES), { maxLength: 10 }).chain((again) => fc.shuffledSubarray([...CHANGES, ...again], { minLength: CHANGES.length + again.length }));
    fc.assert(
      fc.property(arrivals, (arrived) => {
        expect(merged(arrived)).toEqual(expected);
      }),
    );
  });

  it('keeps an order the list already holds when its placing arrives after, and ignores orders it does not hold', () => {
    const orders = new Map<string, LiveOrder>([[ORDER, { ...listed(), status: 'ready', statusHlc: at(40) }]]);
    applyChanges(orders, { storeId: STORE, changes: [{ kind: 'order.placed', order: listed() }] });
    expect(orders.get(ORDER)!.status).toBe('ready');
    applyChanges(orders, { storeId: STORE, changes: [{ kind: 'order.status', orderId: '0195f3c8-0000-7000-8000-0000000000b2', status: 'ready', hlc: at(50) }] });
    expect([...orders.keys()]).toEqual([ORDER]);
    // A card order is paid already: a mark of payment changes nothing.
    const card = { ...listed(), id: '0195f3c8-0000-7000-8000-0000000000b3', payment: { method: 'card' as const, paid: true, held: false }, startedAt: '2026-12-02T12:00:00.000Z' };
    orders.set(card.id, card);
    applyChanges(orders, { storeId: STORE, changes: [{ kind: 'order.paid', orderId: card.id, paidAt: '2026-12-02T12:09:00.000Z' }] });
    expect(orders.get(card.id)!.startedAt).toBe('2026-12-02T12:00:00.000Z');
  });
});
