// Terminals name the menu formats they read in their handshake (`menuFormats`); one that names
// none is a terminal from before format 2, which is sent every menu version downgraded for its
// store (protocol/menuV1.ts) — live, in pulls and in snapshots — so it keeps selling until it is
// updated.
import type { Change, MenuVersionWire } from '../protocol/events';
import { MENU_FORMAT } from '../protocol/menu';
import { downgradeMenu } from '../protocol/menuV1';

/** The newest menu format a terminal reads, from what its handshake named. */
export const menuFormatOf = (named: readonly number[] | undefined): 1 | 2 => (named?.includes(MENU_FORMAT) ? 2 : 1);

/**
 * A version as a format 1 terminal of the store gets it. The wire type names the document a
 * format 2 terminal gets; format 1's is its own, older shape, which those terminals validate.
 */
export function menuVersionFor(format: 1 | 2, storeId: string, version: MenuVersionWire): MenuVersionWire {
  if (format === MENU_FORMAT) return version;
  const key = `${version.id}/${storeId}`;
  let written = downgraded.get(key);
  if (!written) {
    written = { ...version, document: downgradeMenu(version.document, storeId) as unknown as MenuVersionWire['document'] };
    downgraded.set(key, written);
    // Versions of stores' current menus are what is asked for; older ones may go.
    if (downgraded.size > MAX_DOWNGRADED) downgraded.delete(downgraded.keys().next().value!);
  }
  return written;
}

/** Versions written for format 1 terminals, by version and store: a store's terminals share one. */
const downgraded = new Map<string, MenuVersionWire>();
const MAX_DOWNGRADED = 2000;

/** Changes as a terminal reading `format` gets them: the same list when no menu needs writing. */
export function menusFor(format: 1 | 2, storeId: string, changes: Change[]): Change[] {
  if (format === MENU_FORMAT || !changes.some((c) => c.kind === 'menu.published')) return changes;
  return changes.map((c) => (c.kind === 'menu.published' ? { ...c, menuVersion: menuVersionFor(format, storeId, c.menuVersion) } : c));
}
