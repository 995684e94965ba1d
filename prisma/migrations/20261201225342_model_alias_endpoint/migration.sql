-- AlterTable
ALTER TABLE "model_aliases" ADD COLUMN     "endpoint_id" UUID;

-- CreateIndex
CREATE INDEX "model_aliases_endpoint_id_idx" ON "model_aliases"("endpoint_id");

-- AddForeignKey
ALTER TABLE "model_aliases" ADD CONSTRAINT "model_aliases_endpoint_id_fkey" FOREIGN KEY ("endpoint_id") REFERENCES "endpoints"("id") ON DELETE SET NULL ON UPDATE CASCADE;
