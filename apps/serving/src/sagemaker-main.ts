// The serving runtime as a SageMaker inference container: the image's `serve` command runs this.
import { bootConfig, loadSageMakerContainerConfig } from '@fledge/config';
import { createLogger } from '@fledge/logger';

import { startSageMakerContainer } from './sagemaker-container.js';

const config = bootConfig(loadSageMakerContainerConfig);
const logger = createLogger({ level: config.log.level, name: 'serving' });
const runtime = await startSageMakerContainer(config, logger).catch((error: unknown) => {
  // The container stops: SageMaker's /ping check fails and the endpoint ends Failed.
  logger.fatal({ err: error }, 'the model package could not be served');
  process.exit(1);
});
logger.info({ url: runtime.url, modelDir: config.modelDir, endpoint: config.endpoint }, 'SageMaker container serving');

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    if (stopping) return;
    stopping = true;
    runtime.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
