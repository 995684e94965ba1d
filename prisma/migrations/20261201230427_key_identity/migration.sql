-- AlterEnum
ALTER TYPE "upload_status" ADD VALUE 'receiving';

-- AlterTable
ALTER TABLE "audit_events" ADD COLUMN     "actor_id" UUID;

-- AlterTable
ALTER TABLE "uploads" ADD COLUMN     "claimed_at" TIMESTAMPTZ(3),
ADD COLUMN     "owner_key_id" UUID;

-- CreateIndex
CREATE INDEX "audit_events_actor_id_at_idx" ON "audit_events"("actor_id", "at");

-- Rows written before keys were told apart by id: attribute them to a key only where its name was
-- unambiguous; the rest keep their name (uploads without an owner are left to admins).
UPDATE "audit_events" AS a SET "actor_id" = k."id"
FROM "api_keys" AS k
WHERE k."name" = a."actor" AND (SELECT count(*) FROM "api_keys" AS o WHERE o."name" = a."actor") = 1;

UPDATE "uploads" AS u SET "owner_key_id" = k."id"
FROM "api_keys" AS k
WHERE k."name" = u."created_by" AND (SELECT count(*) FROM "api_keys" AS o WHERE o."name" = u."created_by") = 1;

-- Key names are unique among active keys. Later active duplicates get their lookup id appended.
UPDATE "api_keys" AS k SET "name" = k."name" || '-' || k."prefix"
WHERE k."revoked_at" IS NULL
  AND EXISTS (
    SELECT 1 FROM "api_keys" AS o
    WHERE o."name" = k."name" AND o."revoked_at" IS NULL AND o."id" < k."id"
  );

CREATE UNIQUE INDEX "api_keys_active_name_key" ON "api_keys"("name") WHERE "revoked_at" IS NULL;
