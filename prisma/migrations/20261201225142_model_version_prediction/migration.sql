-- AlterTable
ALTER TABLE "model_versions" ADD COLUMN     "prediction" JSONB;
