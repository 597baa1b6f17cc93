// One merge transaction: the pushes of several devices applied together (see mutationMerger.ts).
// Invariant 1, decided by content. An order is known by its id and a status change by its clock
// (which names its device); "duplicate" is said only when the server holds that very content. A
// mutation number is a device's label for a change: the same number with the same content is a
// retry, with other content a mistake the device must correct (MUTATION_ID_REUSED). A counter
// order's payment only ever goes from unpaid to paid, so `order.paid` for a paid order holds nothing
// new: "duplicate".
import type { RawSql } from '../db/sql';
import { appendChanges, type PendingChange } from '../feed/changeFeed';
import { ERROR_CODES, type ErrorBody, type ErrorCode } from '../protocol/errors';
import { MAX_MUTATION_LEAP, type Change, type DeviceRole, type MutationResult } from '../protocol/events';
import { earliest, timeOfHlc } from '../protocol/hlc';
import type { OrderRecord, OrderStatus, RecordLine } from '../protocol/orders';

export interface DeviceContext {
  id: string;
  storeId: string;
  role: DeviceRole;
  /** A kiosk's order-number prefix; null for other roles. */
  orderPrefix: string | null;
}

/** A mutation after the checks that need no transaction: ready to apply, or already refused. */
export type PreparedMutation =
  | { id: number; digest: string; kind: 'order.place'; order: OrderRecord }
  | { id: number; digest: string; kind: 'order.status'; orderId: string; status: OrderStatus; hlc: string }
  | { id: number; digest: string; kind: 'order.paid'; orderId: string; paidAt: string }
  | { id: number; digest: string; kind: 'order.lines'; orderId: string; lineNos: number[]; done: boolean; hlc: string }
  | { id: number; kind: 'rejected'; error: ErrorBody };

type Applicable = Exclude<PreparedMutation, { kind: 'rejected' }>;

export interface Submission {
  device: DeviceContext;
  mutations: PreparedMutation[];
}

/** One mutation of the batch, with where its answer goes. */
interface Entry<M extends PreparedMutation = Applicable> {
  submission: number;
  index: number;
  device: DeviceContext;
  mutation: M;
}

const refusal = (code: ErrorCode, path?: string): ErrorBody => (path === undefined ? { code, message: ERROR_CODES[code] } : { code, message: ERROR_CODES[code], path });

/**
 * The answer to a change of an order the device's store does not hold, given the store that holds
 * it, if any. An order held nowhere may still come: its kiosk's upload can be behind a bump that
 * reached the kitchen over the LAN, so the device keeps the change and sends it again. An order held
 * by another store never will (an id is unique across stores): refused for good. That tells only
 * that the id is taken, which `order.place` tells as ORDER_ID_CONFLICT, and never by whom.
 */
const notHeld = (holder: string | undefined): ErrorBody => refusal(holder === undefined ? 'ORDER_NOT_YET_HELD' : 'ORDER_NOT_FOUND', 'orderId');

/** The answers of a batch, one per mutation of each submission, filled in step by step. */
class Answers {
  readonly results: MutationResult[][];

  constructor(batch: readonly Submission[]) {
    this.results = batch.map((s) => s.mutations.map((m) => ({ id: m.id, outcome: 'applied' as const })));
  }

  duplicate(at: Entry): void {
    this.results[at.submission]![at.index] = { id: at.mutation.id, outcome: 'duplicate' };
  }

  reject(at: Entry<PreparedMutation>, error: ErrorBody): void {
    this.results[at.submission]![at.index] = { id: at.mutation.id, outcome: 'rejected', error };
  }

  of(at: Entry): MutationResult {
    return this.results[at.submission]![at.index]!;
  }

  copy(at: Entry, from: Entry): void {
    this.results[at.submission]![at.index] = { ...this.of(from), id: at.mutation.id };
  }
}

export async function mergeBatch(tx: RawSql, batch: readonly Submission[]): Promise<{ results: MutationResult[][]; changes: Map<string, Change[]> }> {
  const answers = new Answers(batch);
  const entries: Entry[] = [];
  batch.forEach((submission, s) =>
    submission.mutations.forEach((mutation, index) => {
      const at = { submission: s, index, device: submission.device, mutation };
      if (mutation.kind === 'rejected') answers.reject(at, mutation.error);
      else entries.push({ ...at, mutation });
    }),
  );

  const { fresh, echoes } = await lockAndClaim(tx, batch, entries, answers);
  const pending: PendingChange[] = [];
  await placeOrders(tx, fresh.filter(isPlace), answers, pending);
  await recordStatuses(tx, fresh.filter(isStatus), answers, pending);
  await recordLineBumps(tx, fresh.filter(isLines), answers, pending);
  // After placing: an order placed and paid at the counter in one push is found.
  await recordPayments(tx, fresh.filter(isPaid), answers, pending);
  await releaseRefusedNumbers(tx, fresh, answers);
  // A mutation sent twice in this batch (two sockets pushing the same outbox) gets its first answer.
  for (const { at, of } of echoes) answers.copy(at, of);
  // Numbered last: the store rows are locked for the shortest time.
  const changes = await appendChanges(tx, pending);
  return { results: answers.results, changes };
}

const isPlace = (e: Entry): e is Entry<Extract<Applicable, { kind: 'order.place' }>> => e.mutation.kind === 'order.place';
const isStatus = (e: Entry): e is Entry<Extract<Applicable, { kind: 'order.status' }>> => e.mutation.kind === 'order.status';
const isPaid = (e: Entry): e is Entry<Extract<Applicable, { kind: 'order.paid' }>> => e.mutation.kind === 'order.paid';
const isLines = (e: Entry): e is Entry<Extract<Applicable, { kind: 'order.lines' }>> => e.mutation.kind === 'order.lines';

/**
 * Locks the batch's devices (in id order, like every writer, so merges never deadlock) until the
 * commit, so one device's pushes, through any socket or server node, are merged one after another;
 * and claims each new mutation number for its content. A number already held is a retry when the
 * content is the same (its change is held: "duplicate"), and a mistake when it is not. Returns the
 * mutations to apply, and those sent twice within this batch.
 */
async function lockAndClaim(tx: RawSql, batch: readonly Submission[], entries: Entry[], answers: Answers) {
  const first = new Map<string, Entry>();
  const echoes: Array<{ at: Entry; of: Entry }> = [];
  const candidates: Entry[] = [];
  for (const at of entries) {
    const key = `${at.device.id}/${at.mutation.id}`;
    const earlier = first.get(key);
    if (!earlier) {
      first.set(key, at);
      candidates.push(at);
    } else if (earlier.mutation.digest === at.mutation.digest) echoes.push({ at, of: earlier });
    else answers.reject(at, refusal('MUTATION_ID_REUSED', 'id'));
  }
  // One statement, one round trip on every push: lock, then claim what is in range of the highest
  // number each device held before. A number claimed by an earlier push is not returned.
  const devices = await tx.$queryRawUnsafe<Array<{ id: string; highest: number; claimed: number[] }>>(
    `WITH locked AS (
       UPDATE "Device" d SET "lastSeenAt" = now()
         FROM (SELECT id FROM "Device" WHERE id = ANY($1::uuid[]) ORDER BY id FOR NO KEY UPDATE) AS l
        WHERE d.id = l.id
    RETURNING d.id, COALESCE((SELECT max(m."mutationId") FROM "DeviceMutation" m WHERE m."deviceId" = d.id), 0) AS highest
     ), claimed AS (
       INSERT INTO "DeviceMutation" ("deviceId", "mutationId", digest)
       SELECT v.d, v.n, decode(v.h, 'hex') FROM unnest($2::uuid[], $3::int8[], $4::text[]) AS v(d, n, h)
         JOIN locked ON locked.id = v.d WHERE v.n <= locked.highest + $5
       ON CONFLICT DO NOTHING RETURNING "deviceId", "mutationId"
     )
     SELECT l.id, l.highest::float8 AS highest,
            ARRAY(SELECT c."mutationId"::float8 FROM claimed c WHERE c."deviceId" = l.id) AS claimed
       FROM locked l`,
    [...new Set(batch.map((s) => s.device.id))].sort(),
    candidates.map((c) => c.device.id),
    candidates.map((c) => c.mutation.id),
    candidates.map((c) => c.mutation.digest),
    MAX_MUTATION_LEAP,
  );
  const byId = new Map(devices.map((d) => [d.id, { highest: d.highest, claimed: new Set(d.claimed) }]));
  const fresh: Entry[] = [];
  const repeated: Entry[] = [];
  for (const at of candidates) {
    const device = byId.get(at.device.id)!;
    if (device.claimed.has(at.mutation.id)) fresh.push(at);
    else if (at.mutation.id > device.highest + MAX_MUTATION_LEAP) answers.reject(at, refusal('MUTATION_ID_OUT_OF_RANGE', 'id'));
    else repeated.push(at);
  }
  if (repeated.length > 0) {
    // Read now, with the devices locked: every claim of theirs is committed and seen.
    const held = new Map(
      (
        await tx.$queryRawUnsafe<Array<{ key: string; digest: string }>>(
          `SELECT m."deviceId" || '/' || m."mutationId" AS key, encode(m.digest, 'hex') AS digest FROM "DeviceMutation" m
             JOIN unnest($1::uuid[], $2::int8[]) AS v(d, n) ON m."deviceId" = v.d AND m."mutationId" = v.n`,
          repeated.map((c) => c.device.id),
          repeated.map((c) => c.mutation.id),
        )
      ).map((r) => [r.key, r.digest]),
    );
    for (const at of repeated) {
      if (held.get(`${at.device.id}/${at.mutation.id}`) === at.mutation.digest) answers.duplicate(at);
      else answers.reject(at, refusal('MUTATION_ID_REUSED', 'id'));
    }
  }
  return { fresh, echoes };
}

/**
 * An order as the insert reads it: the columns it fills, and nothing else. Built field by field, not
 * spread from the record: every row then has one shape, which JSON.stringify writes fast (spreading
 * the record and its details made this step four times dearer: tests/bench/throughput.ts). A
 * column the order has no value for is left undefined, so JSON.stringify leaves it out and
 * PostgreSQL reads NULL without parsing a thing.
 */
function orderRow(order: OrderRecord, storeId: string, digest: string) {
  const { service, payment } = order;
  return {
    id: order.id,
    storeId,
    deviceId: order.deviceId,
    number: order.number,
    businessDay: order.businessDay,
    placedAt: order.placedAt,
    menuVersionId: order.menuVersionId,
    currency: order.currency,
    subtotalCents: order.subtotalCents,
    taxCents: order.taxCents,
    totalCents: order.totalCents,
    digest,
    serviceMode: service?.mode,
    tableNumber: service?.table,
    locale: order.locale,
    payment,
    paymentStatus: payment?.status,
    paidAt: payment?.paidAt,
    cardTransactionId: payment?.method === 'card' ? payment.transactionId : undefined,
  };
}

/** A line as the insert reads it, with its order's id (lines travel apart from their orders, in one list). */
function lineRow(orderId: string, line: RecordLine) {
  return {
    orderId,
    lineNo: line.lineNo,
    itemId: line.itemId,
    name: line.name,
    quantity: line.quantity,
    unitPriceCents: line.unitPriceCents,
    lineTotalCents: line.lineTotalCents,
    modifiers: line.modifiers,
    stationId: line.stationId,
    prepSeconds: line.prepSeconds,
  };
}

/**
 * New orders and their lines, in one statement. The id is unique, so is the number within the
 * store's day, and so is a card payment's transaction: an order that meets any is skipped here and
 * sorted out after.
 */
async function placeOrders(tx: RawSql, places: Array<Entry<Extract<Applicable, { kind: 'order.place' }>>>, answers: Answers, pending: PendingChange[]): Promise<void> {
  if (places.length === 0) return;
  // The orders and their lines travel as two JSON documents that PostgreSQL takes apart: far
  // cheaper than one array parameter per column, which the driver would escape element by element.
  // Lines nested in their orders would be read twice (the order's text, then the lines in it).
  const inserted = new Set(
    (
      await tx.$queryRawUnsafe<Array<{ id: string }>>(
        `WITH inserted AS (
           INSERT INTO "Order" (id, "storeId", "deviceId", number, "businessDay", "placedAt", "menuVersionId", currency,
                                "subtotalCents", "taxCents", "totalCents", status, "statusHlc", digest,
                                "serviceMode", "tableNumber", locale, payment, "paymentStatus", "paidAt", "cardTransactionId")
           SELECT id, "storeId", "deviceId", number, "businessDay", "placedAt", "menuVersionId", currency,
                  "subtotalCents", "taxCents", "totalCents", 'preparing', NULL, decode(digest, 'hex'),
                  "serviceMode", "tableNumber", locale, payment, "paymentStatus"::"PaymentStatus", "paidAt", "cardTransactionId"
             FROM json_to_recordset($1::json) AS o(id uuid, "storeId" uuid, "deviceId" uuid, number text, "businessDay" text,
                  "placedAt" timestamptz, "menuVersionId" uuid, currency text, "subtotalCents" int, "taxCents" int, "totalCents" int, digest text,
                  "serviceMode" text, "tableNumber" text, locale text, payment jsonb, "paymentStatus" text, "paidAt" timestamptz, "cardTransactionId" uuid)
           ON CONFLICT DO NOTHING RETURNING id
         ), lines AS (
           INSERT INTO "OrderLine" ("orderId", "lineNo", "itemId", name, quantity, "unitPriceCents", "lineTotalCents", modifiers, "stationId", "prepSeconds")
           SELECT l."orderId", l."lineNo", l."itemId", l.name, l.quantity, l."unitPriceCents", l."lineTotalCents", l.modifiers, l."stationId", l."prepSeconds"
             FROM json_to_recordset($2::json) AS l("orderId" uuid, "lineNo" int, "itemId" text, name text, quantity int, "unitPriceCents" int,
                                                   "lineTotalCents" int, modifiers jsonb, "stationId" text, "prepSeconds" int)
             JOIN inserted ON inserted.id = l."orderId"
         )
         SELECT id FROM inserted`,
        JSON.stringify(places.map((p) => orderRow(p.mutation.order, p.device.storeId, p.mutation.digest))),
        JSON.stringify(places.flatMap(({ mutation: { order } }) => order.lines.map((line) => lineRow(order.id, line)))),
      )
    ).map((r) => r.id),
  );
  const skipped = places.filter((p) => !inserted.has(p.mutation.order.id));
  const holders = new Map(
    skipped.length === 0
      ? []
      : (
          await tx.$queryRawUnsafe<Array<{ id: string; deviceId: string; digest: string }>>(
            `SELECT id, "deviceId", encode(digest, 'hex') AS digest FROM "Order" WHERE id = ANY($1::uuid[])`,
            skipped.map((p) => p.mutation.order.id),
          )
        ).map((o) => [o.id, { deviceId: o.deviceId, digest: o.digest }]),
  );
  // Card transactions already paying an order (one placed earlier in this batch too).
  const chargesTaken = (transactionIds: string[]) =>
    transactionIds.length === 0
      ? Promise.resolve(new Set<string>())
      : tx
          .$queryRawUnsafe<Array<{ id: string }>>(`SELECT "cardTransactionId" AS id FROM "Order" WHERE "cardTransactionId" = ANY($1::uuid[])`, transactionIds)
          .then((rows) => new Set(rows.map((r) => r.id)));
  const charges = await chargesTaken(
    skipped.flatMap(({ mutation: { order } }) => (!holders.has(order.id) && order.payment?.method === 'card' ? [order.payment.transactionId] : [])),
  );
  // Within the batch, the first mutation carrying an order id is the one that placed it.
  const placedBy = new Map<string, { deviceId: string; digest: string }>();
  for (const place of places) {
    const { order } = place.mutation;
    const mine = { deviceId: place.device.id, digest: place.mutation.digest };
    if (inserted.has(order.id) && !placedBy.has(order.id)) {
      placedBy.set(order.id, mine);
      pending.push({ storeId: place.device.storeId, body: { kind: 'order.placed', order } });
      continue;
    }
    const holder = placedBy.get(order.id) ?? holders.get(order.id);
    if (!holder && order.payment?.method === 'card' && charges.has(order.payment.transactionId)) {
      answers.reject(place, { code: 'PAYMENT_ALREADY_USED', message: `${ERROR_CODES.PAYMENT_ALREADY_USED} Refund this card payment.`, path: 'order.payment.transactionId' });
    } else if (!holder) {
      answers.reject(place, { code: 'ORDER_NUMBER_TAKEN', message: `${ERROR_CODES.ORDER_NUMBER_TAKEN} (${order.number})`, path: 'order.number' });
    } else if (holder.deviceId === mine.deviceId && (holder.digest === mine.digest || holder.digest === '')) {
      // The same order again (an empty digest: stored before digests were kept; its device vouches).
      answers.duplicate(place);
    } else {
      // Says nothing of whose order holds the id: it may be another store's.
      answers.reject(place, refusal('ORDER_ID_CONFLICT', 'order.id'));
    }
  }
}

/** Status changes: every one kept, merged last-writer-wins by hybrid logical clock. */
async function recordStatuses(tx: RawSql, statuses: Array<Entry<Extract<Applicable, { kind: 'order.status' }>>>, answers: Answers, pending: PendingChange[]): Promise<void> {
  if (statuses.length === 0) return;
  const orderIds = [...new Set(statuses.map((s) => s.mutation.orderId))].sort();
  const current = new Map(
    (
      await tx.$queryRawUnsafe<Array<{ id: string; storeId: string; status: OrderStatus; statusHlc: string | null; readyAt: Date | null }>>(
        `SELECT id, "storeId", status, "statusHlc", "readyAt" FROM "Order" WHERE id = ANY($1::uuid[]) ORDER BY id FOR NO KEY UPDATE`,
        orderIds,
      )
    ).map((o) => [o.id, o]),
  );
  const known = statuses.filter((s) => {
    const holder = current.get(s.mutation.orderId)?.storeId;
    if (holder === s.device.storeId) return true;
    answers.reject(s, notHeld(holder));
    return false;
  });
  if (known.length === 0) return;
  const recorded = new Set(
    (
      await tx.$queryRawUnsafe<Array<{ key: string }>>(
        `INSERT INTO "OrderStatusEvent" ("orderId", hlc, "deviceId", status)
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::"OrderStatus"[])
         ON CONFLICT DO NOTHING RETURNING "orderId" || '/' || hlc AS key`,
        known.map((s) => s.mutation.orderId),
        known.map((s) => s.mutation.hlc),
        known.map((s) => s.device.id),
        known.map((s) => s.mutation.status),
      )
    ).map((e) => e.key),
  );
  const skipped = known.filter((s) => !recorded.has(`${s.mutation.orderId}/${s.mutation.hlc}`));
  const held = new Map(
    skipped.length === 0
      ? []
      : (
          await tx.$queryRawUnsafe<Array<{ key: string; status: OrderStatus }>>(
            `SELECT e."orderId" || '/' || e.hlc AS key, e.status FROM "OrderStatusEvent" e
               JOIN unnest($1::uuid[], $2::text[]) AS v(o, h) ON e."orderId" = v.o AND e.hlc = v.h`,
            skipped.map((s) => s.mutation.orderId),
            skipped.map((s) => s.mutation.hlc),
          )
        ).map((e) => [e.key, e.status]),
  );
  const changed = new Set<string>();
  for (const s of known) {
    const { orderId, status, hlc } = s.mutation;
    const key = `${orderId}/${hlc}`;
    if (!recorded.delete(key)) {
      // The clock names its device, so only this device can have recorded it: a retry, or a mistake.
      if (held.get(key) === status) answers.duplicate(s);
      else answers.reject(s, refusal('STATUS_EVENT_CONFLICT', 'hlc'));
      continue;
    }
    const order = current.get(orderId)!;
    // Compared here, not in SQL: string order must not depend on the database's collation.
    if (order.statusHlc === null || hlc > order.statusHlc) {
      order.status = status;
      order.statusHlc = hlc;
      changed.add(order.id);
    }
    // Its ticket ends at the first `ready`, whenever that reaches us (a kitchen offline, a recall).
    const readyAt = status === 'ready' ? earliest(order.readyAt, timeOfHlc(hlc)) : order.readyAt;
    if (readyAt !== order.readyAt) {
      order.readyAt = readyAt;
      changed.add(order.id);
    }
    pending.push({ storeId: order.storeId, body: { kind: 'order.status', orderId, status, hlc, deviceId: s.device.id } });
  }
  if (changed.size === 0) return;
  const rows = [...changed].map((id) => current.get(id)!);
  await tx.$executeRawUnsafe(
    `UPDATE "Order" o SET status = v.status, "statusHlc" = v.hlc, "readyAt" = v."readyAt"
       FROM unnest($1::uuid[], $2::"OrderStatus"[], $3::text[], $4::timestamptz[]) AS v(id, status, hlc, "readyAt") WHERE o.id = v.id`,
    rows.map((o) => o.id),
    rows.map((o) => o.status),
    rows.map((o) => o.statusHlc),
    rows.map((o) => o.readyAt),
  );
}

/**
 * Stations' bumps of lines: every one kept, each line's state merged last-writer-wins by hybrid
 * logical clock, like an order's status. One bump names several lines under one clock, so an event
 * is known by order, line and clock; a retry finds all of its events held.
 */
async function recordLineBumps(tx: RawSql, bumps: Array<Entry<Extract<Applicable, { kind: 'order.lines' }>>>, answers: Answers, pending: PendingChange[]): Promise<void> {
  if (bumps.length === 0) return;
  const orderIds = [...new Set(bumps.map((b) => b.mutation.orderId))].sort();
  const rows = await tx.$queryRawUnsafe<Array<{ orderId: string; lineNo: number; storeId: string; done: boolean; doneHlc: string | null; firstDoneAt: Date | null }>>(
    `SELECT l."orderId", l."lineNo", o."storeId", l.done, l."doneHlc", l."firstDoneAt"
       FROM "Order" o JOIN "OrderLine" l ON l."orderId" = o.id
      WHERE o.id = ANY($1::uuid[]) ORDER BY o.id, l."lineNo" FOR NO KEY UPDATE OF l`,
    orderIds,
  );
  const storeOf = new Map(rows.map((l) => [l.orderId, l.storeId]));
  const lines = new Map(rows.map((l) => [`${l.orderId}/${l.lineNo}`, l]));
  const known = bumps.filter((b) => {
    const { orderId, lineNos } = b.mutation;
    if (storeOf.get(orderId) !== b.device.storeId) answers.reject(b, notHeld(storeOf.get(orderId)));
    else if (!lineNos.every((n) => lines.has(`${orderId}/${n}`))) answers.reject(b, refusal('LINE_NOT_FOUND', 'lineNos'));
    else return true;
    return false;
  });
  if (known.length === 0) return;
  const events = known.flatMap((b) => b.mutation.lineNos.map((lineNo) => ({ b, lineNo })));
  const recorded = new Set(
    (
      await tx.$queryRawUnsafe<Array<{ key: string }>>(
        `INSERT INTO "LineStatusEvent" ("orderId", "lineNo", hlc, "deviceId", done)
         SELECT * FROM unnest($1::uuid[], $2::int[], $3::text[], $4::uuid[], $5::bool[])
         ON CONFLICT DO NOTHING RETURNING "orderId" || '/' || "lineNo" || '/' || hlc AS key`,
        events.map((e) => e.b.mutation.orderId),
        events.map((e) => e.lineNo),
        events.map((e) => e.b.mutation.hlc),
        events.map((e) => e.b.device.id),
        events.map((e) => e.b.mutation.done),
      )
    ).map((e) => e.key),
  );
  const changed = new Set<string>();
  for (const b of known) {
    const { orderId, lineNos, done, hlc } = b.mutation;
    const fresh = lineNos.filter((n) => recorded.has(`${orderId}/${n}/${hlc}`));
    // The clock names its device, and a device never issues a clock twice: all of a bump's events
    // held already is a retry (its number was released when refused, or it came by another socket).
    if (fresh.length === 0) {
      answers.duplicate(b);
      continue;
    }
    for (const n of fresh) {
      const line = lines.get(`${orderId}/${n}`)!;
      // Compared here, not in SQL: string order must not depend on the database's collation.
      if (line.doneHlc === null || hlc > line.doneHlc) {
        line.done = done;
        line.doneHlc = hlc;
        changed.add(`${orderId}/${n}`);
      }
      // The station's part of the ticket ends at the line's first bump done, whenever that reaches us.
      const firstDoneAt = done ? earliest(line.firstDoneAt, timeOfHlc(hlc)) : line.firstDoneAt;
      if (firstDoneAt !== line.firstDoneAt) {
        line.firstDoneAt = firstDoneAt;
        changed.add(`${orderId}/${n}`);
      }
    }
    pending.push({ storeId: b.device.storeId, body: { kind: 'order.lines', orderId, lineNos: fresh, done, hlc, deviceId: b.device.id } });
  }
  if (changed.size === 0) return;
  const updated = [...changed].map((key) => lines.get(key)!);
  await tx.$executeRawUnsafe(
    `UPDATE "OrderLine" l SET done = v.done, "doneHlc" = v.hlc, "firstDoneAt" = v."firstDoneAt"
       FROM unnest($1::uuid[], $2::int[], $3::bool[], $4::text[], $5::timestamptz[]) AS v(o, n, done, hlc, "firstDoneAt") WHERE l."orderId" = v.o AND l."lineNo" = v.n`,
    updated.map((l) => l.orderId),
    updated.map((l) => l.lineNo),
    updated.map((l) => l.done),
    updated.map((l) => l.doneHlc),
    updated.map((l) => l.firstDoneAt),
  );
}

/**
 * Counter orders paid to staff. Paying is monotonic — unpaid, then paid, never back — so merges
 * converge whoever marks an order paid first: the first mark is kept and goes on the feed, and any
 * later one (a replay, or a second screen) holds nothing new and is `duplicate`.
 */
async function recordPayments(tx: RawSql, paids: Array<Entry<Extract<Applicable, { kind: 'order.paid' }>>>, answers: Answers, pending: PendingChange[]): Promise<void> {
  if (paids.length === 0) return;
  const orderIds = [...new Set(paids.map((p) => p.mutation.orderId))].sort();
  const current = new Map(
    (
      await tx.$queryRawUnsafe<Array<{ id: string; storeId: string; method: string | null; paymentStatus: 'unpaid' | 'paid' | null }>>(
        `SELECT id, "storeId", payment->>'method' AS method, "paymentStatus" FROM "Order" WHERE id = ANY($1::uuid[]) ORDER BY id FOR NO KEY UPDATE`,
        orderIds,
      )
    ).map((o) => [o.id, o]),
  );
  const paid: Array<{ orderId: string; paidAt: string }> = [];
  for (const p of paids) {
    const { orderId, paidAt } = p.mutation;
    const order = current.get(orderId);
    if (order?.storeId !== p.device.storeId) answers.reject(p, notHeld(order?.storeId));
    else if (order.method !== 'counter') answers.reject(p, refusal('NOT_A_COUNTER_ORDER', 'orderId'));
    else if (order.paymentStatus === 'paid') answers.duplicate(p);
    else {
      order.paymentStatus = 'paid';
      paid.push({ orderId, paidAt });
      pending.push({ storeId: order.storeId, body: { kind: 'order.paid', orderId, paidAt, deviceId: p.device.id } });
    }
  }
  if (paid.length === 0) return;
  await tx.$executeRawUnsafe(
    `UPDATE "Order" o SET "paymentStatus" = 'paid', "paidAt" = v.at::timestamptz, payment = o.payment || jsonb_build_object('status', 'paid', 'paidAt', v.at)
       FROM unnest($1::uuid[], $2::text[]) AS v(id, at) WHERE o.id = v.id`,
    paid.map((p) => p.orderId),
    paid.map((p) => p.paidAt),
  );
}

/**
 * A number claimed for a change that was then refused holds nothing: let it go, so the server keeps
 * no trace of refused changes and a device that sends the number again is judged afresh (a change
 * that waits for its order comes back under the same number). A number whose content is a
 * duplicate stays: it names a change the server holds.
 */
async function releaseRefusedNumbers(tx: RawSql, fresh: Entry[], answers: Answers): Promise<void> {
  const refused = fresh.filter((at) => answers.of(at).outcome === 'rejected');
  if (refused.length === 0) return;
  await tx.$executeRawUnsafe(
    `DELETE FROM "DeviceMutation" m USING unnest($1::uuid[], $2::int8[]) AS v(d, n) WHERE m."deviceId" = v.d AND m."mutationId" = v.n`,
    refused.map((at) => at.device.id),
    refused.map((at) => at.mutation.id),
  );
}
