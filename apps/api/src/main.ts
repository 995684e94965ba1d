import { bootConfig, loadApiConfig } from '@fledge/config';

import { createApiApp } from './create-api-app.js';

const config = bootConfig(loadApiConfig);
const { app } = await createApiApp(config);
await app.listen(config.http.port, config.http.host);
