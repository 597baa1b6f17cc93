-- CreateTable
CREATE TABLE "DeviceSettings" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "serverUrl" TEXT NOT NULL,
    "deviceToken" TEXT NOT NULL,
    "deviceId" TEXT,
    "deviceName" TEXT,
    "role" TEXT,
    "orderPrefix" TEXT,
    "storeId" TEXT,
    "storeName" TEXT,
    "timeZone" TEXT,
    "currency" TEXT,
    "taxRateBp" INTEGER,
    "pricesIncludeTax" BOOLEAN,
    "clockOffsetMs" INTEGER NOT NULL DEFAULT 0,
    "lastHlc" TEXT,
    "menuVersionId" TEXT,
    "revokedAt" DATETIME,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "SyncCursor" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "seq" INTEGER NOT NULL DEFAULT 0
);

-- CreateTable
CREATE TABLE "MenuVersion" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "currency" TEXT NOT NULL,
    "receivedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "MenuCategory" (
    "menuVersionId" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "position" INTEGER NOT NULL,

    PRIMARY KEY ("menuVersionId", "id"),
    CONSTRAINT "MenuCategory_menuVersionId_fkey" FOREIGN KEY ("menuVersionId") REFERENCES "MenuVersion" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "MenuItem" (
    "menuVersionId" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "categoryId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "priceCents" INTEGER NOT NULL,
    "image" TEXT,
    "position" INTEGER NOT NULL,
    "modifierGroupIds" JSONB NOT NULL,

    PRIMARY KEY ("menuVersionId", "id"),
    CONSTRAINT "MenuItem_menuVersionId_fkey" FOREIGN KEY ("menuVersionId") REFERENCES "MenuVersion" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ModifierGroup" (
    "menuVersionId" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "minChoices" INTEGER NOT NULL,
    "maxChoices" INTEGER NOT NULL,
    "position" INTEGER NOT NULL,

    PRIMARY KEY ("menuVersionId", "id"),
    CONSTRAINT "ModifierGroup_menuVersionId_fkey" FOREIGN KEY ("menuVersionId") REFERENCES "MenuVersion" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ModifierOption" (
    "menuVersionId" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "groupId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "priceDeltaCents" INTEGER NOT NULL,
    "isDefault" BOOLEAN NOT NULL,
    "position" INTEGER NOT NULL,

    PRIMARY KEY ("menuVersionId", "id"),
    CONSTRAINT "ModifierOption_menuVersionId_groupId_fkey" FOREIGN KEY ("menuVersionId", "groupId") REFERENCES "ModifierGroup" ("menuVersionId", "id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ItemAvailability" (
    "itemId" TEXT NOT NULL PRIMARY KEY,
    "available" BOOLEAN NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "Order" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "deviceId" TEXT NOT NULL,
    "number" TEXT NOT NULL,
    "businessDay" TEXT NOT NULL,
    "placedAt" DATETIME NOT NULL,
    "menuVersionId" TEXT NOT NULL,
    "currency" TEXT NOT NULL,
    "subtotalCents" INTEGER NOT NULL,
    "taxCents" INTEGER NOT NULL,
    "totalCents" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "statusHlc" TEXT,
    "syncState" TEXT NOT NULL,
    "rejectCode" TEXT,
    "rejectMessage" TEXT
);

-- CreateTable
CREATE TABLE "OrderLine" (
    "orderId" TEXT NOT NULL,
    "lineNo" INTEGER NOT NULL,
    "itemId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "quantity" INTEGER NOT NULL,
    "unitPriceCents" INTEGER NOT NULL,
    "lineTotalCents" INTEGER NOT NULL,
    "modifiers" JSONB NOT NULL,

    PRIMARY KEY ("orderId", "lineNo"),
    CONSTRAINT "OrderLine_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "Order" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "OrderStatusEvent" (
    "orderId" TEXT NOT NULL,
    "hlc" TEXT NOT NULL,
    "deviceId" TEXT NOT NULL,
    "status" TEXT NOT NULL,

    PRIMARY KEY ("orderId", "hlc")
);

-- CreateTable
CREATE TABLE "OutboxEntry" (
    "mutationId" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "kind" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "attempts" INTEGER NOT NULL DEFAULT 0
);

-- CreateTable
CREATE TABLE "OrderNumberCounter" (
    "businessDay" TEXT NOT NULL PRIMARY KEY,
    "last" INTEGER NOT NULL
);

-- CreateIndex
CREATE INDEX "Order_status_placedAt_idx" ON "Order"("status", "placedAt");

-- CreateIndex
CREATE INDEX "Order_syncState_idx" ON "Order"("syncState");
