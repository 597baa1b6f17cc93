-- CreateEnum
CREATE TYPE "PaymentStatus" AS ENUM ('unpaid', 'paid');

-- AlterTable
ALTER TABLE "Store" ADD COLUMN     "kiosk" JSONB;

-- AlterTable
ALTER TABLE "Order" ADD COLUMN     "cardTransactionId" UUID,
ADD COLUMN     "locale" TEXT,
ADD COLUMN     "paidAt" TIMESTAMPTZ(3),
ADD COLUMN     "payment" JSONB,
ADD COLUMN     "paymentStatus" "PaymentStatus",
ADD COLUMN     "serviceMode" TEXT,
ADD COLUMN     "tableNumber" TEXT;

-- CreateTable
CREATE TABLE "ServerSecret" (
    "name" TEXT NOT NULL,
    "value" BYTEA NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ServerSecret_pkey" PRIMARY KEY ("name")
);

-- CreateIndex
CREATE UNIQUE INDEX "Order_cardTransactionId_key" ON "Order"("cardTransactionId");

-- CreateIndex
CREATE INDEX "Order_storeId_placedAt_idx" ON "Order"("storeId", "placedAt");
