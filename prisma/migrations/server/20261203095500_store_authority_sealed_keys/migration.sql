-- A store authority's private key is kept sealed when TILLSYNC_AUTHORITY_SECRET is set
-- (sync-server/devices/authoritySeal.ts), no longer always PEM: the column is renamed, its keys kept.
-- Copied rather than renamed, so its NOT NULL constraint (named since PostgreSQL 18) is named after it.
ALTER TABLE "StoreAuthority" ADD COLUMN "privateKey" TEXT;
UPDATE "StoreAuthority" SET "privateKey" = "privateKeyPem";
ALTER TABLE "StoreAuthority" ALTER COLUMN "privateKey" SET NOT NULL;
ALTER TABLE "StoreAuthority" DROP COLUMN "privateKeyPem";
