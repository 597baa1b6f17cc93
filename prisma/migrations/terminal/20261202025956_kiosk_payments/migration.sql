-- AlterTable
ALTER TABLE "DeviceSettings" ADD COLUMN "kioskSettings" TEXT;
ALTER TABLE "DeviceSettings" ADD COLUMN "receiptKey" TEXT;
ALTER TABLE "DeviceSettings" ADD COLUMN "storeAddress" TEXT;

-- CreateTable
CREATE TABLE "Checkout" (
    "orderId" TEXT NOT NULL PRIMARY KEY,
    "number" TEXT NOT NULL,
    "order" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "PaymentAttempt" (
    "transactionId" TEXT NOT NULL PRIMARY KEY,
    "orderId" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "amountCents" INTEGER NOT NULL,
    "state" TEXT NOT NULL,
    "failure" TEXT,
    "reference" TEXT,
    "cardBrand" TEXT,
    "last4" TEXT,
    "cancelRequested" BOOLEAN NOT NULL DEFAULT false,
    "unreachableAt" DATETIME,
    "createdAt" DATETIME NOT NULL,
    "finishedAt" DATETIME,
    CONSTRAINT "PaymentAttempt_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "Checkout" ("orderId") ON DELETE CASCADE ON UPDATE CASCADE
);

-- AlterTable (columns added in place: a kiosk keeps every order of its store, and copying them all is not needed)
ALTER TABLE "Order" ADD COLUMN "serviceMode" TEXT;
ALTER TABLE "Order" ADD COLUMN "tableNumber" TEXT;
ALTER TABLE "Order" ADD COLUMN "locale" TEXT;
ALTER TABLE "Order" ADD COLUMN "payment" TEXT;
ALTER TABLE "Order" ADD COLUMN "awaitingPayment" BOOLEAN NOT NULL DEFAULT false;

-- CreateIndex
CREATE INDEX "Checkout_state_idx" ON "Checkout"("state");

-- CreateIndex
CREATE INDEX "PaymentAttempt_state_idx" ON "PaymentAttempt"("state");
