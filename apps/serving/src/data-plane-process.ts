// One more data-plane process of a multi-process serving runtime (FLEDGE_SERVING_PROCESSES > 1),
// started by the authoritative process (main.ts) over IPC: same environment, so the same artifact
// store settings.
import { bootConfig, loadServingConfig } from '@fledge/config';
import { createLogger } from '@fledge/logger';
import { createArtifactStore } from '@fledge/storage';

import { runDataPlaneMember } from './control/data-plane-member.js';

const config = bootConfig(loadServingConfig);
runDataPlaneMember({
  artifactSource: createArtifactStore(config.artifacts),
  logger: createLogger({ level: config.log.level, name: 'serving-dataplane' }),
});
