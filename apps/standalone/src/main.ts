// `fledge up`: the all-in-one process on embedded defaults (PGlite, local artifacts, a Temporal
// dev server started here). Production runs apps/api, apps/worker and apps/serving separately.
import { bootConfig, loadApiConfig, loadServingConfig, loadStandaloneConfig, loadWorkerConfig } from '@fledge/config';
import { createLogger } from '@fledge/logger';

import { type Standalone, startStandalone } from './standalone.js';

const api = bootConfig(loadApiConfig);
const logger = createLogger({ level: api.log.level, name: 'fledge' });
let fledge: Standalone;
try {
  fledge = await startStandalone(
    {
      api,
      worker: bootConfig(loadWorkerConfig),
      serving: bootConfig(loadServingConfig),
      standalone: bootConfig(loadStandaloneConfig),
    },
    logger,
  );
} catch (error) {
  logger.fatal({ err: error }, 'Fledge could not start');
  // One plain line for people (scripts/up shows it): the reason, without a stack trace.
  process.stderr.write(`fledge: could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
logger.info(
  { api: fledge.apiUrl, serving: fledge.servingUrl, temporalUi: fledge.temporalUiUrl },
  'Fledge is up (embedded mode)',
);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  // `on`, not `once`: a second signal (a terminal and a wrapper both forwarding Ctrl-C) must not
  // kill the process in the middle of its shutdown.
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'Fledge stopping');
    // Once the servers have closed, nothing may be left to keep the event loop alive while the
    // worker drains: without this timer Node would exit there and orphan the Temporal dev server.
    const keepAlive = setInterval(() => undefined, 1000);
    fledge.close().then(
      () => {
        clearInterval(keepAlive);
        logger.info('Fledge stopped');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'Fledge failed to stop cleanly');
        process.exit(1);
      },
    );
  });
}
