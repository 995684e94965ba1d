// The serving runtime as its own process (distributed mode): config from the environment.
import { bootConfig, loadServingConfig } from '@fledge/config';
import { createLogger } from '@fledge/logger';
import { createArtifactStore } from '@fledge/storage';

import { startServingRuntime } from './serving-runtime.js';

const config = bootConfig(loadServingConfig);
const logger = createLogger({ level: config.log.level, name: 'serving' });
const store = createArtifactStore(config.artifacts);

const runtime = await startServingRuntime({
  host: config.http.host,
  port: config.http.port,
  bodyTimeoutMs: config.http.bodyTimeoutMs,
  adminHost: config.admin.host,
  adminPort: config.admin.port,
  adminToken: config.admin.token.reveal(),
  dataDir: config.dataDir,
  artifactSource: store,
  logger,
  processes: config.http.processes,
});
logger.info({ url: runtime.url, adminUrl: runtime.adminUrl }, 'serving runtime listening');

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'serving runtime stopping');
    runtime.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'serving runtime failed to stop cleanly');
        process.exit(1);
      },
    );
  });
}
