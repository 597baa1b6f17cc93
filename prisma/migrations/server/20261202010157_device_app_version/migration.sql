-- AlterTable
ALTER TABLE "Device" ADD COLUMN     "appVersion" TEXT;
