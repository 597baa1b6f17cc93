-- A store's recent orders are paged by business day and then time (sync-server/stores/recentOrders.ts),
-- through the (storeId, businessDay, number) key: an index of every order's time cost each order
-- placed an index entry and its log bytes (tests/bench/throughput.ts: ~75 bytes of WAL an order).
DROP INDEX "Order_storeId_placedAt_idx";
