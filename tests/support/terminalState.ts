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

export interface ServerOrder {
  id: string;
  number: string;
  status: string;
  totalCents: number;
}

/**
 * How the terminals' files differ from the server's orders and status history, listed rather than
 * counted to make a failure readable: missing or extra orders, another status, total or number, an
 * order not marked synced, a status event one side lacks. Empty when they agree exactly.
 */
export function differencesFromServer(files: readonly string[], orders: readonly ServerOrder[], events: ReadonlyArray<{ orderId: string; hlc: string }>): string[] {
  const serverEvents = new Set(events.map((e) => `${e.orderId}/${e.hlc}`));
  return files.flatMap((file, t) => {
    const state = readTerminal(file);
    const found: string[] = [];
    for (const o of orders) {
      const mine = state.orders.get(o.id);
      if (!mine) found.push(`terminal ${t}: missing order ${o.number}`);
      else if (mine.status !== o.status || mine.totalCents !== o.totalCents || mine.number !== o.number) found.push(`terminal ${t}: ${o.number} is ${mine.status}, server says ${o.status}`);
      else if (mine.syncState !== 'synced') found.push(`terminal ${t}: ${o.number} is ${mine.syncState}`);
    }
    if (state.orders.size !== orders.length) found.push(`terminal ${t}: ${state.orders.size} orders, server ${orders.length}`);
    for (const e of serverEvents) if (!state.events.has(e)) found.push(`terminal ${t}: missing status event ${e}`);
    for (const e of state.events) if (!serverEvents.has(e)) found.push(`terminal ${t}: status event the server lacks ${e}`);
    return found;
  });
}
