// Reads what a terminal's SQLite file holds, straight from the file (WAL lets a reader in while the
// terminal writes), to compare terminals with each other and with the server.
import Database from 'better-sqlite3';

export interface TerminalSnapshot {
  orders: Map<string, { number: string; status: string; totalCents: number; syncState: string }>;
  events: Set<string>;
  cursor: number;
  outbox: number;
}

export function readTerminal(file: string): TerminalSnapshot {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const orders = db.prepare('SELECT id, number, status, totalCents, syncState FROM "Order"').all() as Array<{ id: string; number: string; status: string; totalCents: number; syncState: string }>;
    const events = db.prepare('SELECT orderId, hlc FROM OrderStatusEvent').all() as Array<{ orderId: string; hlc: string }>;
    const cursor = (db.prepare('SELECT seq FROM SyncCursor WHERE id = 1').get() as { seq: number } | undefined)?.seq ?? 0;
    const outbox = (db.prepare('SELECT COUNT(*) AS n FROM OutboxEntry').get() as { n: number }).n;
    return {
      orders: new Map(orders.map((o) => [o.id, { number: o.number, status: o.status, totalCents: o.totalCents, syncState: o.syncState }])),
      events: new Set(events.map((e) => `${e.orderId}/${e.hlc}`)),
      cursor,
      outbox,
    };
  } finally {
    db.close();
  }
}
