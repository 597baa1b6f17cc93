-- DropForeignKey
ALTER TABLE "RejectedMutation" DROP CONSTRAINT "RejectedMutation_deviceId_fkey";

-- AlterTable
ALTER TABLE "Device" DROP COLUMN "lastMutationId";

-- AlterTable: orders stored before digests existed get an empty one, which the merge reads as
-- "content unknown": the same device sending the same order id again is then a duplicate.
ALTER TABLE "Order" ADD COLUMN     "digest" BYTEA NOT NULL DEFAULT ''::bytea;
ALTER TABLE "Order" ALTER COLUMN "digest" DROP DEFAULT;

-- DropTable
DROP TABLE "RejectedMutation";

-- CreateTable
CREATE TABLE "DeviceMutation" (
    "deviceId" UUID NOT NULL,
    "mutationId" BIGINT NOT NULL,
    "digest" BYTEA NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DeviceMutation_pkey" PRIMARY KEY ("deviceId","mutationId")
);

-- AddForeignKey
ALTER TABLE "DeviceMutation" ADD CONSTRAINT "DeviceMutation_deviceId_fkey" FOREIGN KEY ("deviceId") REFERENCES "Device"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
