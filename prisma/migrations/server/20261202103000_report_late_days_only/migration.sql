-- Only a day before a store's own today can have a summary (the close-of-day job writes one an
-- hour after the day ends at the earliest): rows of today, nearly every row the merge writes, mark
-- nothing and take no lock. Measured: the triggers as first written cost the order path a fifth of
-- its throughput (tests/bench/throughput.ts).
CREATE OR REPLACE FUNCTION report_orders_arrived() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
  PERFORM report_day_changed(d."storeId", d."businessDay")
     FROM (SELECT DISTINCT "storeId", "businessDay" FROM arrived) d JOIN "Store" s ON s.id = d."storeId"
    WHERE d."businessDay" < to_char(now() AT TIME ZONE s."timeZone", 'YYYY-MM-DD');
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION report_events_arrived() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
  PERFORM report_day_changed(d."storeId", d."businessDay")
     FROM (SELECT DISTINCT o."storeId", o."businessDay" FROM arrived e JOIN "Order" o ON o.id = e."orderId") d JOIN "Store" s ON s.id = d."storeId"
    WHERE d."businessDay" < to_char(now() AT TIME ZONE s."timeZone", 'YYYY-MM-DD');
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION report_order_paid() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
  IF NEW."businessDay" < (SELECT to_char(now() AT TIME ZONE s."timeZone", 'YYYY-MM-DD') FROM "Store" s WHERE s.id = NEW."storeId") THEN
    PERFORM report_day_changed(NEW."storeId", NEW."businessDay");
  END IF;
  RETURN NULL;
END $$;
