// Boots like a real process: `node scripts/run.mjs <this file>` with the environment under test.
import { bootConfig, loadApiConfig } from '@fledge/config';

const config = bootConfig(loadApiConfig);
process.stdout.write(`booted on port ${config.http.port}\n`);
