-- Budgets are windows of a minute or an hour: losing them in a crash costs nothing, and not
-- logging them spares every push a write-ahead-log flush of its own (Prisma cannot say UNLOGGED).
ALTER TABLE "RateLimit" SET UNLOGGED;
