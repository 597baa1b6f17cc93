-- AlterTable
ALTER TABLE "DeviceSettings" ADD COLUMN "peerCertificate" TEXT;
ALTER TABLE "DeviceSettings" ADD COLUMN "peerKey" TEXT;
ALTER TABLE "DeviceSettings" ADD COLUMN "peerPort" INTEGER;
ALTER TABLE "DeviceSettings" ADD COLUMN "storeAuthority" TEXT;

-- CreateTable
CREATE TABLE "StorePeer" (
    "deviceId" TEXT NOT NULL PRIMARY KEY,
    "role" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "hosts" TEXT NOT NULL,
    "port" INTEGER,
    "revoked" INTEGER NOT NULL,
    "updatedAt" DATETIME NOT NULL
);
