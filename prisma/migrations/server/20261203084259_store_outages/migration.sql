-- CreateTable
CREATE TABLE "StoreOutage" (
    "id" UUID NOT NULL,
    "storeId" UUID NOT NULL,
    "startedAt" TIMESTAMPTZ(3) NOT NULL,
    "endedAt" TIMESTAMPTZ(3) NOT NULL,
    "devices" UUID[],

    CONSTRAINT "StoreOutage_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "StoreOutage_storeId_startedAt_idx" ON "StoreOutage"("storeId", "startedAt");

-- AddForeignKey
ALTER TABLE "StoreOutage" ADD CONSTRAINT "StoreOutage_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
