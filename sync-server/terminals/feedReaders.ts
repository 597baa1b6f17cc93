// What a terminal reads of its store's feed, as its handshake says: the menu formats it reads
// (menuFormats.ts), and the change kinds added since protocol 1 that it applies: `store.changed`,
// `order.paid` (payments), `order.lines` (kitchen stations), `store.peers` (the store's LAN). A terminal from before any of them gets
// the feed written for it — live, in pulls and in snapshots, under the same seqs — so it keeps
// working until it is updated.
import { ERROR_CODES } from '../protocol/errors';
import type { Change, ChangeKind, HandshakeAuth, MutationResult, SnapshotOrdersResponse, SnapshotResponse, StoreSettings } from '../protocol/events';
import type { OrderRecord, RecordLine } from '../protocol/orders';
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
  /**
   * Applies `order.lines` and `device.stations`, and reads what came with them: each line's station,
   * prep time and bump, the store's kitchen settings, a kitchen display's stations in its hello.
   */
  stations: boolean;
  /** Applies `store.peers`, and takes the store's devices from a snapshot. */
  peers: boolean;
}
type Capability = Exclude<keyof FeedReader, 'menuFormat'>;

export const readerOf = ({ menuFormats, changeKinds }: HandshakeAuth): FeedReader => ({
  menuFormat: menuFormatOf(menuFormats),
  storeChanges: changeKinds?.includes('store.changed') ?? false,
  payments: changeKinds?.includes('order.paid') ?? false,
  stations: changeKinds?.includes('order.lines') ?? false,
  peers: changeKinds?.includes('store.peers') ?? false,
});

/** Each socket of a store joins the room of its kind of reader, so that a change can be written once per kind. */
export const readerRoom = (storeId: string, { menuFormat, storeChanges, payments, stations, peers }: FeedReader) =>
  `store:${storeId}:feed:menu-${menuFormat}${storeChanges ? ':store-changes' : ''}${payments ? ':payments' : ''}${stations ? ':stations' : ''}${peers ? ':peers' : ''}`;

/** Every kind of reader there is. */
const both = [true, false];
const READERS: FeedReader[] = ([1, 2] as const).flatMap((menuFormat) =>
  both.flatMap((storeChanges) =>
    both.flatMap((payments) => both.flatMap((stations) => both.map((peers) => ({ menuFormat, storeChanges, payments, stations, peers })))),
  ),
);

/** The rooms of the store's terminals that learn its settings only from their hello. */
export const helloOnlyRooms = (storeId: string) => READERS.filter((r) => !r.storeChanges).map((r) => readerRoom(storeId, r));

/** No device has the nil id: a `device.revoked` naming it is applied as nothing. */
const NO_DEVICE = '00000000-0000-0000-0000-000000000000';
const nothing = ({ seq, at }: Change): Change => ({ seq, at, kind: 'device.revoked', deviceId: NO_DEVICE });

/**
 * In place of each change of `kind`, a terminal that cannot apply it gets a change it applies as
 * nothing, so its cursor still moves through every seq. The same list when there is none.
 */
const withoutKind = (kind: ChangeKind) => (changes: Change[]): Change[] =>
  changes.some((c) => c.kind === kind) ? changes.map((c) => (c.kind === kind ? nothing(c) : c)) : changes;

const hasDetails = (order: OrderRecord) => order.service !== undefined || order.payment !== undefined || order.locale !== undefined;

/** An order as a terminal from before payments reads it: its strict schema knows none of these fields. */
function orderWithoutPayment(order: OrderRecord): OrderRecord {
  if (!hasDetails(order)) return order;
  const { service: _service, payment: _payment, locale: _locale, ...plain } = order;
  return plain;
}

function storeWithout(store: StoreSettings, part: 'kiosk' | 'kitchen'): StoreSettings {
  if (store[part] === undefined) return store;
  const { [part]: _left, ...plain } = store;
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
        return { ...c, store: storeWithout(c.store, 'kiosk') };
      default:
        return c;
    }
  });
}

const hasKitchenParts = ({ stationId, prepSeconds, state }: RecordLine) => stationId !== undefined || prepSeconds !== undefined || state !== undefined;

/** An order as a terminal from before stations reads it: lines with their names and prices only. */
function orderWithoutStations(order: OrderRecord): OrderRecord {
  if (!order.lines.some(hasKitchenParts)) return order;
  return { ...order, lines: order.lines.map(({ stationId: _station, prepSeconds: _prep, state: _state, ...line }) => line) };
}

const hasStationParts = (c: Change) =>
  c.kind === 'order.lines' ||
  c.kind === 'device.stations' ||
  (c.kind === 'order.placed' && c.order.lines.some(hasKitchenParts)) ||
  (c.kind === 'store.changed' && c.store.kitchen !== undefined);

/**
 * Changes as a terminal from before stations reads them: orders without their lines' stations, prep
 * times and bumps, store settings without the kitchen's, and a change it applies as nothing in place
 * of each `order.lines` and `device.stations`. The same list when there is nothing to take out.
 */
function withoutStations(changes: Change[]): Change[] {
  if (!changes.some(hasStationParts)) return changes;
  return changes.map((c) => {
    switch (c.kind) {
      case 'order.lines':
      case 'device.stations':
        return nothing(c);
      case 'order.placed':
        return { ...c, order: orderWithoutStations(c.order) };
      case 'store.changed':
        return { ...c, store: storeWithout(c.store, 'kitchen') };
      default:
        return c;
    }
  });
}

/** What a terminal without each capability does not read, in the order the lists are written. */
const LEFT_OUT: ReadonlyArray<readonly [Capability, (changes: Change[]) => Change[]]> = [
  ['storeChanges', withoutKind('store.changed')],
  ['payments', withoutPayments],
  ['stations', withoutStations],
  ['peers', withoutKind('store.peers')],
];

/** Changes as `reader` gets them: the same list when nothing in them needs writing otherwise. */
export function changesFor(reader: FeedReader, storeId: string, changes: Change[]): Change[] {
  return LEFT_OUT.reduce((list, [capability, without]) => (reader[capability] ? list : without(list)), menusFor(reader.menuFormat, storeId, changes));
}

/** `write`, remembering what it wrote for each input, so that equal inputs give the very same list. */
function once<K>(write: (input: K) => Change[]): (input: K) => Change[] {
  const written = new Map<K, Change[]>();
  return (input) => {
    let list = written.get(input);
    if (!list) written.set(input, (list = write(input)));
    return list;
  };
}

/**
 * The lists a store's terminals get, each with the rooms that get it: one emit per list. Usually
 * one list for every room; a new menu, a store change, a payment or a bump makes a few more (each
 * is written once, whichever rooms share it). Rooms `listening` says are empty get nothing.
 */
export function changesByRoom(storeId: string, changes: Change[], listening: (room: string) => boolean = () => true): Map<Change[], string[]> {
  const byList = new Map<Change[], string[]>();
  const menus = once((format: 1 | 2) => menusFor(format, storeId, changes));
  const leftOut = LEFT_OUT.map(([capability, without]) => [capability, once(without)] as const);
  for (const reader of READERS) {
    const room = readerRoom(storeId, reader);
    if (!listening(room)) continue;
    const list = leftOut.reduce((written, [capability, without]) => (reader[capability] ? written : without(written)), menus(reader.menuFormat));
    byList.set(list, [...(byList.get(list) ?? []), room]);
  }
  return byList;
}

/** An order as `reader` reads it. */
function orderFor(reader: FeedReader, order: OrderRecord): OrderRecord {
  const paid = reader.payments ? order : orderWithoutPayment(order);
  return reader.stations ? paid : orderWithoutStations(paid);
}

/**
 * A snapshot as `reader` gets it: its menu in a format it reads, the store's settings if it applies
 * them (with the kiosk's if it reads payments, the kitchen's if it reads stations), orders with
 * what it reads of them, the store's devices if it applies `store.peers`.
 */
export function snapshotFor(reader: FeedReader, storeId: string, { store, orders, peers, ...snapshot }: SnapshotResponse): SnapshotResponse {
  const kept = store && (reader.payments ? store : storeWithout(store, 'kiosk'));
  return {
    ...snapshot,
    menuVersion: snapshot.menuVersion && menuVersionFor(reader.menuFormat, storeId, snapshot.menuVersion),
    orders: orders.map((order) => orderFor(reader, order)),
    ...(reader.storeChanges && kept ? { store: reader.stations ? kept : storeWithout(kept, 'kitchen') } : {}),
    ...(reader.peers && peers ? { peers } : {}),
  };
}

/** A further page of a snapshot's orders as `reader` gets it. */
export function snapshotOrdersFor(reader: FeedReader, page: SnapshotOrdersResponse): SnapshotOrdersResponse {
  return { ...page, orders: page.orders.map((order) => orderFor(reader, order)) };
}

/**
 * A push's answers as `reader` understands them. A terminal from before the store's LAN knows no
 * ORDER_NOT_YET_HELD and would refuse the whole answer: it is told ORDER_NOT_FOUND, as it always
 * was, and withdraws the change (the server kept nothing of it either way).
 */
export function resultsFor(reader: FeedReader, results: MutationResult[]): MutationResult[] {
  if (reader.peers) return results;
  return results.map((result) =>
    result.error?.code === 'ORDER_NOT_YET_HELD' ? { ...result, error: { ...result.error, code: 'ORDER_NOT_FOUND', message: ERROR_CODES.ORDER_NOT_FOUND } } : result,
  );
}
