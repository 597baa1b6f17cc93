-- CreateTable
CREATE TABLE "DailySummary" (
    "storeId" UUID NOT NULL,
    "businessDay" CHAR(10) NOT NULL,
    "upToDate" BOOLEAN NOT NULL DEFAULT false,
    "summarisedAt" TIMESTAMPTZ(3),

    CONSTRAINT "DailySummary_pkey" PRIMARY KEY ("storeId","businessDay")
);

-- CreateTable
CREATE TABLE "DailyHourSales" (
    "storeId" UUID NOT NULL,
    "businessDay" CHAR(10) NOT NULL,
    "hour" INTEGER NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "orders" INTEGER NOT NULL,
    "salesCents" BIGINT NOT NULL,

    CONSTRAINT "DailyHourSales_pkey" PRIMARY KEY ("storeId","businessDay","hour","currency")
);

-- CreateTable
CREATE TABLE "DailyOrderMix" (
    "storeId" UUID NOT NULL,
    "businessDay" CHAR(10) NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "serviceMode" TEXT NOT NULL,
    "paymentMethod" TEXT NOT NULL,
    "orders" INTEGER NOT NULL,
    "salesCents" BIGINT NOT NULL,

    CONSTRAINT "DailyOrderMix_pkey" PRIMARY KEY ("storeId","businessDay","currency","serviceMode","paymentMethod")
);

-- CreateTable
CREATE TABLE "DailyItemSales" (
    "storeId" UUID NOT NULL,
    "businessDay" CHAR(10) NOT NULL,
    "itemId" TEXT NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "name" TEXT NOT NULL,
    "quantity" INTEGER NOT NULL,
    "salesCents" BIGINT NOT NULL,

    CONSTRAINT "DailyItemSales_pkey" PRIMARY KEY ("storeId","businessDay","itemId","currency")
);

-- CreateTable
CREATE TABLE "DailyTicketTimes" (
    "storeId" UUID NOT NULL,
    "businessDay" CHAR(10) NOT NULL,
    "stationId" TEXT NOT NULL,
    "tickets" INTEGER NOT NULL,
    "totalMs" BIGINT NOT NULL,
    "upTo" INTEGER[],

    CONSTRAINT "DailyTicketTimes_pkey" PRIMARY KEY ("storeId","businessDay","stationId")
);

-- CreateIndex
CREATE INDEX "DailySummary_upToDate_businessDay_idx" ON "DailySummary"("upToDate", "businessDay");

-- AddForeignKey
ALTER TABLE "DailySummary" ADD CONSTRAINT "DailySummary_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DailyHourSales" ADD CONSTRAINT "DailyHourSales_storeId_businessDay_fkey" FOREIGN KEY ("storeId", "businessDay") REFERENCES "DailySummary"("storeId", "businessDay") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DailyOrderMix" ADD CONSTRAINT "DailyOrderMix_storeId_businessDay_fkey" FOREIGN KEY ("storeId", "businessDay") REFERENCES "DailySummary"("storeId", "businessDay") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DailyItemSales" ADD CONSTRAINT "DailyItemSales_storeId_businessDay_fkey" FOREIGN KEY ("storeId", "businessDay") REFERENCES "DailySummary"("storeId", "businessDay") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DailyTicketTimes" ADD CONSTRAINT "DailyTicketTimes_storeId_businessDay_fkey" FOREIGN KEY ("storeId", "businessDay") REFERENCES "DailySummary"("storeId", "businessDay") ON DELETE CASCADE ON UPDATE CASCADE;

-- Late rows for a summarised day (hand-written: Prisma cannot say triggers). Whatever reaches the
-- server about a day after its summary was written (a kiosk's orders after a day offline, a kitchen
-- screen's late bumps, a held order paid late) marks the summary out of date in the transaction
-- that brings it, so reports read that day from its orders until the close-of-day job writes it
-- again (sync-server/reports/closeOfDay.ts).
--
-- The advisory lock makes the job and the writers of one store's day take turns: the job holds it
-- alone while it writes the day, each writer shares it until it commits. So the job waits for rows
-- already written and not yet committed (and then reads them), and a writer that comes during the
-- job waits for it, then finds the summary it must mark. Writers never wait for each other.
CREATE FUNCTION report_day_lock(store UUID, day CHAR(10), shared BOOLEAN) RETURNS BOOLEAN LANGUAGE plpgsql AS $$
BEGIN
  -- 7244: reports' class of advisory locks (feed reads use 7241).
  IF shared THEN
    PERFORM pg_advisory_xact_lock_shared(7244, hashtext(store::text || day));
  ELSE
    PERFORM pg_advisory_xact_lock(7244, hashtext(store::text || day));
  END IF;
  RETURN true;
END $$;

CREATE FUNCTION report_day_changed(store UUID, day CHAR(10)) RETURNS VOID LANGUAGE plpgsql AS $$
BEGIN
  PERFORM report_day_lock(store, day, true);
  -- A new statement, so it sees a summary the job committed while this writer waited for the lock.
  UPDATE "DailySummary" SET "upToDate" = false WHERE "storeId" = store AND "businessDay" = day AND "upToDate";
END $$;

CREATE FUNCTION report_orders_arrived() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
  PERFORM report_day_changed(d."storeId", d."businessDay") FROM (SELECT DISTINCT "storeId", "businessDay" FROM arrived) d;
  RETURN NULL;
END $$;

CREATE FUNCTION report_events_arrived() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
  PERFORM report_day_changed(d."storeId", d."businessDay")
     FROM (SELECT DISTINCT o."storeId", o."businessDay" FROM arrived e JOIN "Order" o ON o.id = e."orderId") d;
  RETURN NULL;
END $$;

CREATE FUNCTION report_order_paid() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
  PERFORM report_day_changed(NEW."storeId", NEW."businessDay");
  RETURN NULL;
END $$;

-- Once per statement: the merge inserts a batch's orders, and its events, in one statement each.
CREATE TRIGGER report_orders_arrived AFTER INSERT ON "Order"
  REFERENCING NEW TABLE AS arrived FOR EACH STATEMENT EXECUTE FUNCTION report_orders_arrived();
CREATE TRIGGER report_status_events_arrived AFTER INSERT ON "OrderStatusEvent"
  REFERENCING NEW TABLE AS arrived FOR EACH STATEMENT EXECUTE FUNCTION report_events_arrived();
CREATE TRIGGER report_line_events_arrived AFTER INSERT ON "LineStatusEvent"
  REFERENCING NEW TABLE AS arrived FOR EACH STATEMENT EXECUTE FUNCTION report_events_arrived();
-- A held counter order's ticket starts when it is paid.
CREATE TRIGGER report_order_paid AFTER UPDATE OF "paidAt" ON "Order"
  FOR EACH ROW WHEN (OLD."paidAt" IS DISTINCT FROM NEW."paidAt") EXECUTE FUNCTION report_order_paid();
