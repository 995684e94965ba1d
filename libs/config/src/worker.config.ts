import { z } from 'zod';

import {
  artifactFields,
  artifactRules,
  buildArtifacts,
  buildCommon,
  buildDatabase,
  buildServingClient,
  buildTemporal,
  commonFields,
  databaseFields,
  databaseRules,
  servingClientFields,
  servingTokenRules,
  temporalFields,
} from './common.config.js';
import { defineConfigLoader, withRules } from './config-loader.util.js';
import { buildSageMakerBackend, sageMakerBackendFields, sageMakerBackendRules } from './sagemaker.config.js';

export const workerEnvSchema = withRules(
  z.object({
    ...commonFields,
    ...databaseFields,
    ...artifactFields,
    ...temporalFields,
    ...servingClientFields,
    ...sageMakerBackendFields,
  }),
  (vars, report) => {
    databaseRules(vars, report);
    artifactRules(vars, report);
    servingTokenRules(vars, report);
    sageMakerBackendRules(vars, report);
  },
);

export const loadWorkerConfig = defineConfigLoader('worker', workerEnvSchema, (vars) => ({
  process: 'worker' as const,
  ...buildCommon(vars),
  database: buildDatabase(vars),
  artifacts: buildArtifacts(vars),
  temporal: buildTemporal(vars),
  serving: buildServingClient(vars),
  sagemaker: buildSageMakerBackend(vars),
}));

export type WorkerConfig = ReturnType<typeof loadWorkerConfig>;
