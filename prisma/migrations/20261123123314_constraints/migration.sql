-- Invariants Prisma's schema language cannot express. Hand-written; the schema engine neither
-- generates nor (as `npm run migrate:check` verifies) reports these objects, so they do not count
-- as drift. Keep their names: libs/db translates violations by constraint name.

-- At most one active rollout per endpoint. The active states are those of libs/domain's
-- activeRolloutStates; terminal rollouts (succeeded, rejected, rolled_back, aborted, failed) may
-- pile up freely.
CREATE UNIQUE INDEX "rollouts_one_active_per_endpoint" ON "rollouts" ("endpoint_id")
  WHERE "status" IN ('pending', 'gating', 'shadow', 'canary', 'promoting', 'rolling_back');

-- Traffic weights are percentages; shadow sampling is a fraction.
ALTER TABLE "endpoint_variants"
  ADD CONSTRAINT "endpoint_variants_weight_range" CHECK ("weight" BETWEEN 0 AND 100),
  ADD CONSTRAINT "endpoint_variants_shadow_sample_rate_range" CHECK ("shadow_sample_rate" BETWEEN 0 AND 1);

-- Versions count from 1.
ALTER TABLE "model_versions" ADD CONSTRAINT "model_versions_version_positive" CHECK ("version" >= 1);
ALTER TABLE "dataset_versions" ADD CONSTRAINT "dataset_versions_version_positive" CHECK ("version" >= 1);

-- The weights of an endpoint's serving (non-shadow) variants sum to 100, unless it has none.
-- Checked once per touched endpoint at COMMIT (deferred), so a traffic shift such as 90/10 → 75/25
-- is made of several statements inside one transaction and only the end state is judged.
CREATE FUNCTION "endpoint_variants_check_serving_weights"() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  endpoint uuid;
  serving integer;
  total bigint;
BEGIN
  FOREACH endpoint IN ARRAY (
    CASE TG_OP
      WHEN 'INSERT' THEN ARRAY[NEW."endpoint_id"]
      WHEN 'DELETE' THEN ARRAY[OLD."endpoint_id"]
      ELSE ARRAY[OLD."endpoint_id", NEW."endpoint_id"]
    END
  ) LOOP
    SELECT count(*), coalesce(sum("weight"), 0) INTO serving, total
      FROM "endpoint_variants"
     WHERE "endpoint_id" = endpoint AND "role" <> 'shadow';
    IF serving > 0 AND total <> 100 THEN
      RAISE EXCEPTION 'serving variant weights of endpoint % sum to %, not 100', endpoint, total
        USING ERRCODE = 'check_violation',
              CONSTRAINT = 'endpoint_variants_serving_weights_sum_100',
              TABLE = 'endpoint_variants';
    END IF;
  END LOOP;
  RETURN NULL;
END;
$$;

CREATE CONSTRAINT TRIGGER "endpoint_variants_serving_weights_sum_100"
  AFTER INSERT OR UPDATE OR DELETE ON "endpoint_variants"
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION "endpoint_variants_check_serving_weights"();
