-- AlterTable
ALTER TABLE "Device" ADD COLUMN     "lanHosts" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "lanPort" INTEGER;

-- CreateTable
CREATE TABLE "StoreAuthority" (
    "storeId" UUID NOT NULL,
    "certificatePem" TEXT NOT NULL,
    "privateKeyPem" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "StoreAuthority_pkey" PRIMARY KEY ("storeId")
);

-- AddForeignKey
ALTER TABLE "StoreAuthority" ADD CONSTRAINT "StoreAuthority_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
