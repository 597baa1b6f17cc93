-- AlterTable
ALTER TABLE "Store" ADD COLUMN     "kitchen" JSONB;

-- AlterTable
ALTER TABLE "Device" ADD COLUMN     "expo" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "stations" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- AlterTable
ALTER TABLE "OrderLine" ADD COLUMN     "done" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "doneHlc" TEXT,
ADD COLUMN     "prepSeconds" INTEGER,
ADD COLUMN     "stationId" TEXT;

-- CreateTable
CREATE TABLE "LineStatusEvent" (
    "orderId" UUID NOT NULL,
    "lineNo" INTEGER NOT NULL,
    "hlc" TEXT NOT NULL,
    "deviceId" UUID NOT NULL,
    "done" BOOLEAN NOT NULL,
    "receivedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LineStatusEvent_pkey" PRIMARY KEY ("orderId","lineNo","hlc")
);

-- AddForeignKey
ALTER TABLE "LineStatusEvent" ADD CONSTRAINT "LineStatusEvent_orderId_lineNo_fkey" FOREIGN KEY ("orderId", "lineNo") REFERENCES "OrderLine"("orderId", "lineNo") ON DELETE CASCADE ON UPDATE CASCADE;
