// What a terminal reads of its store's feed, as its handshake says: the menu formats it reads
// (menuFormats.ts), whether it applies `store.changed`, and whether it reads payments (`order.paid`).
// A terminal from before any of them gets the feed written for it — live, in pulls and in
// snapshots, under the same seqs — so it keeps working until it is updated.
import type { Change, HandshakeAuth, SnapshotOrdersResponse, SnapshotResponse, StoreSettings } from '../protocol/events';
import type { OrderRecord } from '../protocol/orders';
import { menuFormatOf, menusFor, menuVersionFor } from './menuFormats';

export interface FeedReader {
  menuFormat: 1 | 2;
  /** Applies `store.changed`, and takes the store's settings from a snapshot. */
  storeChanges: boolean;
  /**
   * Applies `order.paid`, and reads what came with it: an order's service, payment and locale, the
   * store's kiosk settings, the receipt key in its hello.
   */
  payments: boolean;
}

export const readerOf = ({ menuFormats, changeKinds }: HandshakeAuth): FeedReader => ({
  menuFormat: menuFormatOf(menuFormats),
  storeChanges: changeKinds?.includes('store.changed') ?? false,
  payments: changeKinds?.includes('order.paid') ?? false,
});

const MENU_FORMATS = [1, 2] as const;
const BOTH = [true, false] as const;

/** Each socket of a store joins the room of its kind of reader, so that a change can be written once per kind. */
export const readerRoom = (storeId: string, { menuFormat, storeChanges, payments }: FeedReader) =>
  `store:${storeId}:feed:menu-${menuFormat}${storeChanges ? ':store-changes' : ''}${payments ? ':payments' : ''}`;

/** The rooms of the store's terminals that learn its settings only from their hello. */
export const helloOnlyRooms = (storeId: string) => MENU_FORMATS.flatMap((menuFormat) => BOTH.map((payments) => readerRoom(storeId, { menuFormat, storeChanges: false, payments })));

/** No device has the nil id: a `device.revoked` naming it is applied as nothing. */
const NO_DEVICE = '00000000-0000-0000-0000-000000000000';
const nothing = ({ seq, at }: Change): Change => ({ seq, at, kind: 'device.revoked', deviceId: NO_DEVICE });

/**
 * In place of each `store.changed`, a terminal that cannot apply it gets a change it applies as
 * nothing, so its cursor still moves through every seq. The same list when there is none.
 */
function withoutStoreChanges(changes: Change[]): Change[] {
  if (!changes.some((c) => c.kind === 'store.changed')) return changes;
  return changes.map((c) => (c.kind === 'store.changed' ? nothing(c) : c));
}

const hasDetails = (order: OrderRecord) => order.service !== undefined || order.payment !== undefined || order.locale !== undefined;

/** An order as a terminal from before payments reads it: its strict schema knows none of these fields. */
export function orderWithoutPayment(order: OrderRecord): OrderRecord {
  if (!hasDetails(order)) return order;
  const { service: _service, payment: _payment, locale: _locale, ...plain } = order;
  return plain;
}

function storeWithoutKiosk(store: StoreSettings): StoreSettings {
  const { kiosk: _kiosk, ...plain } = store;
  return plain;
}

const hasPaymentParts = (c: Change) =>
  c.kind === 'order.paid' || (c.kind === 'order.placed' && hasDetails(c.order)) || (c.kind === 'store.changed' && c.store.kiosk !== undefined);

/**
 * Changes as a terminal from before payments reads them: orders without their service, payment and
 * locale, store settings without the kiosk's, and a change it applies as nothing in place of each
 * `order.paid`. The same list when there is nothing to take out.
 */
function withoutPayments(changes: Change[]): Change[] {
  if (!changes.some(hasPaymentParts)) return changes;
  return changes.map((c) => {
    switch (c.kind) {
      case 'order.paid':
        return nothing(c);
      case 'order.placed':
        return { ...c, order: orderWithoutPayment(c.order) };
      case 'store.changed':
        return { ...c, store: storeWithoutKiosk(c.store) };
      default:
        return c;
    }
  });
}

/** Changes as `reader` gets them: the same list when nothing in them needs writing otherwise. */
export function changesFor(reader: FeedReader, storeId: string, changes: Change[]): Change[] {
  const menus = menusFor(reader.menuFormat, storeId, changes);
  const stores = reader.storeChanges ? menus : withoutStoreChanges(menus);
  return reader.payments ? stores : withoutPayments(stores);
}

/** `write`, remembering what it wrote for each list, so that equal inputs give the very same list. */
function once(write: (changes: Change[]) => Change[]): (changes: Change[]) => Change[] {
  const written = new Map<Change[], Change[]>();
  return (changes) => {
    let list = written.get(changes);
    if (!list) written.set(changes, (list = write(changes)));
    return list;
  };
}

/**
 * The lists a store's terminals get, each with the rooms that get it: one emit per list. Usually
 * one list for every room; a new menu, a store change or a payment makes a few more (each is
 * written once, whichever rooms share it). Rooms `listening` says are empty get nothing.
 */
export function changesByRoom(storeId: string, changes: Change[], listening: (room: string) => boolean = () => true): Map<Change[], string[]> {
  const byList = new Map<Change[], string[]>();
  const storeChangesLeftOut = once(withoutStoreChanges);
  const paymentsLeftOut = once(withoutPayments);
  for (const menuFormat of MENU_FORMATS) {
    const menus = menusFor(menuFormat, storeId, changes);
    for (const storeChanges of BOTH) {
      for (const payments of BOTH) {
        // A room `listening` says is empty gets nothing: its list is not even written.
        const room = readerRoom(storeId, { menuFormat, storeChanges, payments });
        if (!listening(room)) continue;
        const stores = storeChanges ? menus : storeChangesLeftOut(menus);
        const list = payments ? stores : paymentsLeftOut(stores);
        byList.set(list, [...(byList.get(list) ?? []), room]);
      }
    }
  }
  return byList;
}

/**
 * A snapshot as `reader` gets it: its menu in a format it reads, the store's settings if it applies
 * them (with the kiosk's if it reads payments), orders with their payments if it reads them.
 */
export function snapshotFor(reader: FeedReader, storeId: string, { store, orders, ...snapshot }: SnapshotResponse): SnapshotResponse {
  return {
    ...snapshot,
    menuVersion: snapshot.menuVersion && menuVersionFor(reader.menuFormat, storeId, snapshot.menuVersion),
    orders: reader.payments ? orders : orders.map(orderWithoutPayment),
    ...(reader.storeChanges && store ? { store: reader.payments ? store : storeWithoutKiosk(store) } : {}),
  };
}

/** A further page of a snapshot's orders as `reader` gets it. */
export function snapshotOrdersFor(reader: FeedReader, page: SnapshotOrdersResponse): SnapshotOrdersResponse {
  return reader.payments ? page : { ...page, orders: page.orders.map(orderWithoutPayment) };
}
