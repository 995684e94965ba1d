import { bootConfig, CONFIG_EXIT_CODE, loadWorkerConfig } from '@fledge/config';
import { FledgeError } from '@fledge/errors';
import { createLogger } from '@fledge/logger';

import { createWorkerApp, installTemporalLogger } from './worker-app.js';

const config = bootConfig(loadWorkerConfig);
const logger = createLogger({ level: config.log.level, name: 'worker' });
installTemporalLogger(logger.child({ component: 'temporal' }));

const app = await createWorkerApp(config, { logger }).catch((error: unknown) => {
  // A setup the worker cannot run with (AWS credentials, a missing bucket) stops it like a bad setting.
  if (!FledgeError.is(error, 'FAILED_PRECONDITION')) throw error;
  logger.fatal({ reason: error.reason }, error.message);
  process.stderr.write(`worker: ${error.message}\n`);
  process.exit(CONFIG_EXIT_CODE);
});
let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing running tasks');
    app.worker.shutdown();
  });
}
logger.info(
  { address: config.temporal.address, namespace: config.temporal.namespace, taskQueue: config.temporal.taskQueue },
  'worker started',
);
try {
  await app.worker.run();
  logger.info('worker stopped');
} finally {
  await app.close();
}
