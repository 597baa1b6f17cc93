-- AlterTable
ALTER TABLE "DeviceSettings" ADD COLUMN "cloudLostAt" DATETIME;
