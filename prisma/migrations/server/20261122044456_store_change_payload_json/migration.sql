-- AlterTable
ALTER TABLE "StoreChange" ALTER COLUMN "payload" SET DATA TYPE JSON;
