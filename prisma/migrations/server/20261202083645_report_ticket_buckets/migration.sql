-- AlterTable
ALTER TABLE "DailyTicketTimes" ADD COLUMN     "buckets" INTEGER[];

-- Ticket times were summarised with a count for every bucket; they are now kept for the buckets
-- that hold tickets only (`buckets`, with `upTo` running along them): every day is written again
-- by the close-of-day job, and read from its orders until then.
DELETE FROM "DailyTicketTimes";
UPDATE "DailySummary" SET "upToDate" = false;
