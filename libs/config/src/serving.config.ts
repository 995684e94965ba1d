import { z } from 'zod';

import {
  artifactFields,
  artifactRules,
  buildArtifacts,
  buildCommon,
  commonFields,
  hostField,
  resolveServingAdminToken,
  servingTokenFields,
  servingTokenRules,
} from './common.config.js';
import { defineConfigLoader, withRules } from './config-loader.util.js';
import { envVar } from './env-var.util.js';

export const servingEnvSchema = withRules(
  z.object({
    ...commonFields,
    ...artifactFields,
    ...servingTokenFields,
    FLEDGE_SERVING_HOST: hostField('127.0.0.1'),
    FLEDGE_SERVING_PORT: envVar.port(8080),
    FLEDGE_SERVING_ADMIN_PORT: envVar.port(8081),
  }),
  (vars, report) => {
    artifactRules(vars, report);
    servingTokenRules(vars, report);
    if (vars.FLEDGE_SERVING_ADMIN_PORT === vars.FLEDGE_SERVING_PORT)
      report('FLEDGE_SERVING_ADMIN_PORT', 'must differ from FLEDGE_SERVING_PORT');
  },
);

export const loadServingConfig = defineConfigLoader('serving', servingEnvSchema, (vars) => ({
  process: 'serving' as const,
  ...buildCommon(vars),
  artifacts: buildArtifacts(vars),
  http: { host: vars.FLEDGE_SERVING_HOST, port: vars.FLEDGE_SERVING_PORT },
  admin: { port: vars.FLEDGE_SERVING_ADMIN_PORT, token: resolveServingAdminToken(vars) },
}));

export type ServingConfig = ReturnType<typeof loadServingConfig>;
