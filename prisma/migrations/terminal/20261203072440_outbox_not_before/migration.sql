-- AlterTable
ALTER TABLE "OutboxEntry" ADD COLUMN "notBefore" DATETIME;
