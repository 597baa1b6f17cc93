// What a terminal reads of its store's feed, as its handshake says: the menu formats it reads
// (menuFormats.ts) and whether it applies `store.changed`. A terminal from before either gets the
// feed written for it — live, in pulls and in snapshots, under the same seqs — so it keeps working
// until it is updated.
import type { Change, HandshakeAuth, SnapshotResponse } from '../protocol/events';
import { menuFormatOf, menusFor, menuVersionFor } from './menuFormats';

export interface FeedReader {
  menuFormat: 1 | 2;
  /** Applies `store.changed`, and takes the store's settings from a snapshot. */
  storeChanges: boolean;
}

export const readerOf = ({ menuFormats, changeKinds }: HandshakeAuth): FeedReader => ({
  menuFormat: menuFormatOf(menuFormats),
  storeChanges: changeKinds?.includes('store.changed') ?? false,
});

const MENU_FORMATS = [1, 2] as const;

/** Each socket of a store joins the room of its kind of reader, so that a change can be written once per kind. */
export const readerRoom = (storeId: string, { menuFormat, storeChanges }: FeedReader) =>
  `store:${storeId}:feed:menu-${menuFormat}${storeChanges ? ':store-changes' : ''}`;

/** The rooms of the store's terminals that learn its settings only from their hello. */
export const helloOnlyRooms = (storeId: string) => MENU_FORMATS.map((menuFormat) => readerRoom(storeId, { menuFormat, storeChanges: false }));

/** No device has the nil id: a `device.revoked` naming it is applied as nothing. */
const NO_DEVICE = '00000000-0000-0000-0000-000000000000';

/**
 * In place of each `store.changed`, a terminal that cannot apply it gets a change it applies as
 * nothing, so its cursor still moves through every seq. The same list when there is none.
 */
function withoutStoreChanges(changes: Change[]): Change[] {
  if (!changes.some((c) => c.kind === 'store.changed')) return changes;
  return changes.map((c) => (c.kind === 'store.changed' ? { seq: c.seq, at: c.at, kind: 'device.revoked', deviceId: NO_DEVICE } : c));
}

/** Changes as `reader` gets them: the same list when nothing in them needs writing otherwise. */
export function changesFor(reader: FeedReader, storeId: string, changes: Change[]): Change[] {
  const menus = menusFor(reader.menuFormat, storeId, changes);
  return reader.storeChanges ? menus : withoutStoreChanges(menus);
}

/**
 * The lists a store's terminals get, each with the rooms that get it. Usually one list for every
 * room; a new menu or a store change makes a second, never more (a new menu is written once for
 * the terminals that read only format 1, whatever else they read).
 */
export function changesByRoom(storeId: string, changes: Change[]): Map<Change[], string[]> {
  const byList = new Map<Change[], string[]>();
  for (const menuFormat of MENU_FORMATS) {
    const menus = menusFor(menuFormat, storeId, changes);
    for (const storeChanges of [true, false]) {
      const list = storeChanges ? menus : withoutStoreChanges(menus);
      byList.set(list, [...(byList.get(list) ?? []), readerRoom(storeId, { menuFormat, storeChanges })]);
    }
  }
  return byList;
}

/** A snapshot as `reader` gets it: its menu in a format it reads, the store's settings if it applies them. */
export function snapshotFor(reader: FeedReader, storeId: string, { store, ...snapshot }: SnapshotResponse): SnapshotResponse {
  return {
    ...snapshot,
    menuVersion: snapshot.menuVersion && menuVersionFor(reader.menuFormat, storeId, snapshot.menuVersion),
    ...(reader.storeChanges && store ? { store } : {}),
  };
}
