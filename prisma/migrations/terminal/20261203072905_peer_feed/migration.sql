-- CreateTable
CREATE TABLE "PeerFeed" (
    "seq" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "body" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "PeerFeedEpoch" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "epoch" TEXT NOT NULL
);

-- CreateTable
CREATE TABLE "PeerCursor" (
    "deviceId" TEXT NOT NULL PRIMARY KEY,
    "epoch" TEXT NOT NULL,
    "seq" INTEGER NOT NULL
);

-- CreateIndex
CREATE INDEX "PeerFeed_createdAt_idx" ON "PeerFeed"("createdAt");
