-- CreateEnum
CREATE TYPE "model_task" AS ENUM ('classification', 'regression');

-- CreateEnum
CREATE TYPE "modality" AS ENUM ('image', 'text', 'tabular');

-- CreateEnum
CREATE TYPE "artifact_format" AS ENUM ('onnx');

-- CreateEnum
CREATE TYPE "model_version_status" AS ENUM ('registered', 'validated', 'rejected', 'archived');

-- CreateEnum
CREATE TYPE "dataset_format" AS ENUM ('jsonl', 'csv');

-- CreateEnum
CREATE TYPE "compression" AS ENUM ('none', 'gzip');

-- CreateEnum
CREATE TYPE "evaluation_status" AS ENUM ('pending', 'running', 'succeeded', 'failed');

-- CreateEnum
CREATE TYPE "endpoint_backend" AS ENUM ('local', 'sagemaker');

-- CreateEnum
CREATE TYPE "variant_role" AS ENUM ('primary', 'canary', 'shadow');

-- CreateEnum
CREATE TYPE "rollout_status" AS ENUM ('pending', 'gating', 'shadow', 'canary', 'promoting', 'succeeded', 'rejected', 'rolling_back', 'rolled_back', 'aborted', 'failed');

-- CreateEnum
CREATE TYPE "alarm_state" AS ENUM ('firing', 'resolved');

-- CreateEnum
CREATE TYPE "upload_kind" AS ENUM ('model', 'dataset');

-- CreateEnum
CREATE TYPE "upload_status" AS ENUM ('pending', 'complete', 'consumed');

-- CreateEnum
CREATE TYPE "api_key_role" AS ENUM ('viewer', 'scientist', 'engineer', 'admin');

-- CreateTable
CREATE TABLE "models" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "task" "model_task" NOT NULL,
    "modality" "modality" NOT NULL,
    "owner" TEXT NOT NULL,
    "description" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "models_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "model_versions" (
    "id" UUID NOT NULL,
    "model_id" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "artifact_uri" TEXT NOT NULL,
    "sha256" TEXT NOT NULL,
    "size_bytes" BIGINT NOT NULL,
    "format" "artifact_format" NOT NULL DEFAULT 'onnx',
    "signature" JSONB NOT NULL,
    "training_dataset_version_id" UUID,
    "metadata" JSONB NOT NULL DEFAULT '{}',
    "description" TEXT,
    "status" "model_version_status" NOT NULL DEFAULT 'registered',
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "model_versions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "model_aliases" (
    "id" UUID NOT NULL,
    "model_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "version_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "model_aliases_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "datasets" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "owner" TEXT NOT NULL,
    "description" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "datasets_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "dataset_versions" (
    "id" UUID NOT NULL,
    "dataset_id" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "uri" TEXT NOT NULL,
    "sha256" TEXT NOT NULL,
    "size_bytes" BIGINT NOT NULL,
    "row_count" INTEGER NOT NULL,
    "format" "dataset_format" NOT NULL,
    "compression" "compression" NOT NULL DEFAULT 'none',
    "feature_columns" TEXT[],
    "label_column" TEXT,
    "labels" JSONB,
    "metadata" JSONB NOT NULL DEFAULT '{}',
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "dataset_versions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "evaluations" (
    "id" UUID NOT NULL,
    "model_version_id" UUID NOT NULL,
    "dataset_version_id" UUID NOT NULL,
    "status" "evaluation_status" NOT NULL DEFAULT 'pending',
    "metrics" JSONB,
    "rows_done" INTEGER NOT NULL DEFAULT 0,
    "rows_total" INTEGER,
    "throughput" DOUBLE PRECISION,
    "latency" JSONB,
    "error" TEXT,
    "workflow_id" TEXT,
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "evaluations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "endpoints" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "backend" "endpoint_backend" NOT NULL DEFAULT 'local',
    "options" JSONB NOT NULL DEFAULT '{}',
    "description" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "endpoints_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "endpoint_variants" (
    "id" UUID NOT NULL,
    "endpoint_id" UUID NOT NULL,
    "model_version_id" UUID NOT NULL,
    "role" "variant_role" NOT NULL,
    "weight" INTEGER NOT NULL DEFAULT 0,
    "shadow_sample_rate" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "endpoint_variants_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "rollouts" (
    "id" UUID NOT NULL,
    "endpoint_id" UUID NOT NULL,
    "candidate_version_id" UUID NOT NULL,
    "baseline_version_id" UUID,
    "policy" JSONB NOT NULL,
    "status" "rollout_status" NOT NULL DEFAULT 'pending',
    "current_step" INTEGER NOT NULL DEFAULT 0,
    "workflow_id" TEXT,
    "reason" TEXT,
    "evidence" JSONB NOT NULL DEFAULT '{}',
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "rollouts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "rollout_events" (
    "id" UUID NOT NULL,
    "rollout_id" UUID NOT NULL,
    "seq" INTEGER NOT NULL,
    "type" TEXT NOT NULL,
    "detail" JSONB NOT NULL DEFAULT '{}',
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "rollout_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "alarms" (
    "id" UUID NOT NULL,
    "endpoint_id" UUID NOT NULL,
    "source" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "state" "alarm_state" NOT NULL,
    "payload" JSONB NOT NULL DEFAULT '{}',
    "fingerprint" TEXT NOT NULL,
    "rollout_id" UUID,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "alarms_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "uploads" (
    "id" UUID NOT NULL,
    "kind" "upload_kind" NOT NULL,
    "status" "upload_status" NOT NULL DEFAULT 'pending',
    "filename" TEXT,
    "uri" TEXT,
    "sha256" TEXT,
    "size_bytes" BIGINT,
    "max_bytes" BIGINT NOT NULL,
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "completed_at" TIMESTAMPTZ(3),

    CONSTRAINT "uploads_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_keys" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "secret_hash" TEXT NOT NULL,
    "role" "api_key_role" NOT NULL,
    "created_by" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revoked_at" TIMESTAMPTZ(3),
    "last_used_at" TIMESTAMPTZ(3),

    CONSTRAINT "api_keys_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_events" (
    "id" UUID NOT NULL,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "subject_type" TEXT NOT NULL,
    "subject_id" TEXT NOT NULL,
    "before" JSONB,
    "after" JSONB,
    "request_id" TEXT,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_events_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "models_name_key" ON "models"("name");

-- CreateIndex
CREATE INDEX "model_versions_training_dataset_version_id_idx" ON "model_versions"("training_dataset_version_id");

-- CreateIndex
CREATE UNIQUE INDEX "model_versions_model_id_version_key" ON "model_versions"("model_id", "version");

-- CreateIndex
CREATE INDEX "model_aliases_version_id_idx" ON "model_aliases"("version_id");

-- CreateIndex
CREATE UNIQUE INDEX "model_aliases_model_id_name_key" ON "model_aliases"("model_id", "name");

-- CreateIndex
CREATE UNIQUE INDEX "datasets_name_key" ON "datasets"("name");

-- CreateIndex
CREATE UNIQUE INDEX "dataset_versions_dataset_id_version_key" ON "dataset_versions"("dataset_id", "version");

-- CreateIndex
CREATE INDEX "evaluations_model_version_id_dataset_version_id_status_idx" ON "evaluations"("model_version_id", "dataset_version_id", "status");

-- CreateIndex
CREATE INDEX "evaluations_dataset_version_id_idx" ON "evaluations"("dataset_version_id");

-- CreateIndex
CREATE UNIQUE INDEX "endpoints_name_key" ON "endpoints"("name");

-- CreateIndex
CREATE INDEX "endpoint_variants_model_version_id_idx" ON "endpoint_variants"("model_version_id");

-- CreateIndex
CREATE UNIQUE INDEX "endpoint_variants_endpoint_id_model_version_id_key" ON "endpoint_variants"("endpoint_id", "model_version_id");

-- CreateIndex
CREATE INDEX "rollouts_endpoint_id_created_at_idx" ON "rollouts"("endpoint_id", "created_at");

-- CreateIndex
CREATE INDEX "rollouts_candidate_version_id_idx" ON "rollouts"("candidate_version_id");

-- CreateIndex
CREATE INDEX "rollouts_baseline_version_id_idx" ON "rollouts"("baseline_version_id");

-- CreateIndex
CREATE UNIQUE INDEX "rollout_events_rollout_id_seq_key" ON "rollout_events"("rollout_id", "seq");

-- CreateIndex
CREATE INDEX "alarms_endpoint_id_received_at_idx" ON "alarms"("endpoint_id", "received_at");

-- CreateIndex
CREATE INDEX "alarms_fingerprint_idx" ON "alarms"("fingerprint");

-- CreateIndex
CREATE INDEX "alarms_rollout_id_idx" ON "alarms"("rollout_id");

-- CreateIndex
CREATE INDEX "uploads_status_expires_at_idx" ON "uploads"("status", "expires_at");

-- CreateIndex
CREATE UNIQUE INDEX "api_keys_prefix_key" ON "api_keys"("prefix");

-- CreateIndex
CREATE INDEX "audit_events_subject_type_subject_id_at_idx" ON "audit_events"("subject_type", "subject_id", "at");

-- CreateIndex
CREATE INDEX "audit_events_at_idx" ON "audit_events"("at");

-- CreateIndex
CREATE INDEX "audit_events_actor_at_idx" ON "audit_events"("actor", "at");

-- AddForeignKey
ALTER TABLE "model_versions" ADD CONSTRAINT "model_versions_model_id_fkey" FOREIGN KEY ("model_id") REFERENCES "models"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "model_versions" ADD CONSTRAINT "model_versions_training_dataset_version_id_fkey" FOREIGN KEY ("training_dataset_version_id") REFERENCES "dataset_versions"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "model_aliases" ADD CONSTRAINT "model_aliases_model_id_fkey" FOREIGN KEY ("model_id") REFERENCES "models"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "model_aliases" ADD CONSTRAINT "model_aliases_version_id_fkey" FOREIGN KEY ("version_id") REFERENCES "model_versions"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dataset_versions" ADD CONSTRAINT "dataset_versions_dataset_id_fkey" FOREIGN KEY ("dataset_id") REFERENCES "datasets"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "evaluations" ADD CONSTRAINT "evaluations_model_version_id_fkey" FOREIGN KEY ("model_version_id") REFERENCES "model_versions"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "evaluations" ADD CONSTRAINT "evaluations_dataset_version_id_fkey" FOREIGN KEY ("dataset_version_id") REFERENCES "dataset_versions"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "endpoint_variants" ADD CONSTRAINT "endpoint_variants_endpoint_id_fkey" FOREIGN KEY ("endpoint_id") REFERENCES "endpoints"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "endpoint_variants" ADD CONSTRAINT "endpoint_variants_model_version_id_fkey" FOREIGN KEY ("model_version_id") REFERENCES "model_versions"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "rollouts" ADD CONSTRAINT "rollouts_endpoint_id_fkey" FOREIGN KEY ("endpoint_id") REFERENCES "endpoints"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "rollouts" ADD CONSTRAINT "rollouts_candidate_version_id_fkey" FOREIGN KEY ("candidate_version_id") REFERENCES "model_versions"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "rollouts" ADD CONSTRAINT "rollouts_baseline_version_id_fkey" FOREIGN KEY ("baseline_version_id") REFERENCES "model_versions"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "rollout_events" ADD CONSTRAINT "rollout_events_rollout_id_fkey" FOREIGN KEY ("rollout_id") REFERENCES "rollouts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alarms" ADD CONSTRAINT "alarms_endpoint_id_fkey" FOREIGN KEY ("endpoint_id") REFERENCES "endpoints"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alarms" ADD CONSTRAINT "alarms_rollout_id_fkey" FOREIGN KEY ("rollout_id") REFERENCES "rollouts"("id") ON DELETE SET NULL ON UPDATE CASCADE;
