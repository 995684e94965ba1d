-- CreateTable
CREATE TABLE "rollout_traffic_steps" (
    "rollout_id" UUID NOT NULL,
    "step_key" TEXT NOT NULL,
    "variants" JSONB NOT NULL,
    "applied_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "rollout_traffic_steps_pkey" PRIMARY KEY ("rollout_id","step_key")
);

-- AddForeignKey
ALTER TABLE "rollout_traffic_steps" ADD CONSTRAINT "rollout_traffic_steps_rollout_id_fkey" FOREIGN KEY ("rollout_id") REFERENCES "rollouts"("id") ON DELETE CASCADE ON UPDATE CASCADE;
