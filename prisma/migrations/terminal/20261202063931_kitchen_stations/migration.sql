-- AlterTable
ALTER TABLE "DeviceSettings" ADD COLUMN "kitchenSettings" TEXT;
ALTER TABLE "DeviceSettings" ADD COLUMN "kitchenStations" TEXT;

-- CreateTable
CREATE TABLE "LineStatusEvent" (
    "orderId" TEXT NOT NULL,
    "lineNo" INTEGER NOT NULL,
    "hlc" TEXT NOT NULL,
    "deviceId" TEXT NOT NULL,
    "done" BOOLEAN NOT NULL,

    PRIMARY KEY ("orderId", "lineNo", "hlc")
);

-- AlterTable (added in place: a kitchen's terminal keeps a day of orders, copying them buys nothing)
ALTER TABLE "OrderLine" ADD COLUMN "stationId" TEXT;
ALTER TABLE "OrderLine" ADD COLUMN "prepSeconds" INTEGER;
ALTER TABLE "OrderLine" ADD COLUMN "done" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "OrderLine" ADD COLUMN "doneHlc" TEXT;
