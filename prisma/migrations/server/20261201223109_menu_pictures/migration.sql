-- CreateTable
CREATE TABLE "MenuPicture" (
    "id" TEXT NOT NULL,
    "fileName" TEXT NOT NULL,
    "card" BYTEA NOT NULL,
    "full" BYTEA NOT NULL,
    "width" INTEGER NOT NULL,
    "height" INTEGER NOT NULL,
    "uploadedBytes" INTEGER NOT NULL,
    "uploadedBy" UUID NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MenuPicture_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "MenuPicture_createdAt_idx" ON "MenuPicture"("createdAt");
