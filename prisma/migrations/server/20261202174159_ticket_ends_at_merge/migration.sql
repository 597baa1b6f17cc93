-- AlterTable
ALTER TABLE "Order" ADD COLUMN     "readyAt" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "OrderLine" ADD COLUMN     "firstDoneAt" TIMESTAMPTZ(3);

-- Where tickets end, kept by the merge from now on (sync-server/orders/mergeBatch.ts), taken once
-- from the events already held: a clock's first 24 characters are the ISO time it was made.
UPDATE "Order" o SET "readyAt" = left(e.hlc, 24)::timestamptz
  FROM (SELECT "orderId", min(hlc COLLATE "C") AS hlc FROM "OrderStatusEvent" WHERE status = 'ready' GROUP BY 1) e
 WHERE e."orderId" = o.id;

UPDATE "OrderLine" l SET "firstDoneAt" = left(e.hlc, 24)::timestamptz
  FROM (SELECT "orderId", "lineNo", min(hlc COLLATE "C") AS hlc FROM "LineStatusEvent" WHERE done GROUP BY 1, 2) e
 WHERE e."orderId" = l."orderId" AND e."lineNo" = l."lineNo";
