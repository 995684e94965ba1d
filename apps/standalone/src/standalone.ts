import { mkdir } from 'node:fs/promises';
import path from 'node:path';

import { Connection } from '@temporalio/client';
import { createApiApp } from '@fledge/api';
import { type ApiConfig, type ServingConfig, type StandaloneConfig, type WorkerConfig } from '@fledge/config';
import { createPrismaClient } from '@fledge/db';
import { type Logger } from '@fledge/logger';
import { startServingRuntime } from '@fledge/serving';
import { createArtifactStore } from '@fledge/storage';
import { createWorkerApp } from '@fledge/worker';
import { fledgeSearchAttributes } from '@fledge/workflows';

import { assertPortsFree, lockDataDir } from './process-control.js';
import { startTemporalDevServer, stopStaleDevServers } from './temporal-dev-server.js';
import { addMissingSearchAttributes } from './temporal-search-attributes.js';

export interface StandaloneConfigs {
  api: ApiConfig;
  worker: WorkerConfig;
  serving: ServingConfig;
  standalone: StandaloneConfig;
}

export interface Standalone {
  apiUrl: string;
  servingUrl: string;
  servingAdminUrl: string;
  temporalAddress: string;
  temporalUiUrl: string;
  close(): Promise<void>;
}

/**
 * Fledge in one process on embedded defaults: one PGlite database and one artifact store shared
 * by the API, the worker and the serving runtime, and a Temporal dev server that Fledge starts
 * itself (the `temporal` binary, persisted in the data dir, stopped by the kernel if Fledge dies).
 * The data dir is locked to this process; a dev server left on it by an earlier run is stopped.
 */
export async function startStandalone(configs: StandaloneConfigs, logger: Logger): Promise<Standalone> {
  const { api, serving, standalone } = configs;
  if (api.database.kind !== 'pglite') {
    throw new Error(
      'the all-in-one process runs on the embedded database: unset DATABASE_URL (or run the apps separately)',
    );
  }
  await mkdir(api.dataDir, { recursive: true });
  const closers: (() => Promise<unknown>)[] = [];
  const close = async () => {
    for (const fn of closers.reverse())
      await fn().catch((error: unknown) => logger.error({ err: error }, 'shutdown step failed'));
  };

  try {
    const lock = await lockDataDir(api.dataDir);
    closers.push(() => lock.release());
    const dbFilename = path.join(api.dataDir, 'temporal.db');
    await stopStaleDevServers(dbFilename, logger);
    const temporalHost = '127.0.0.1';
    await assertPortsFree([
      { variable: 'FLEDGE_API_PORT', host: api.http.host, port: api.http.port },
      { variable: 'FLEDGE_SERVING_PORT', host: serving.http.host, port: serving.http.port },
      { variable: 'FLEDGE_SERVING_ADMIN_PORT', host: serving.http.host, port: serving.admin.port },
      { variable: 'FLEDGE_TEMPORAL_PORT', host: temporalHost, port: standalone.temporal.port },
      { variable: 'FLEDGE_TEMPORAL_UI_PORT', host: temporalHost, port: standalone.temporal.uiPort },
    ]);

    logger.info({ cli: standalone.temporal.cli }, 'starting the Temporal dev server');
    const temporal = await startTemporalDevServer({
      cli: standalone.temporal.cli,
      ip: temporalHost,
      port: standalone.temporal.port,
      uiPort: standalone.temporal.uiPort,
      dbFilename,
      namespace: api.temporal.namespace,
      searchAttributes: [...fledgeSearchAttributes],
      logger,
    });
    closers.push(() => temporal.close());
    const temporalAddress = temporal.address;
    // The dev server registers its search attributes only when it creates its database: a data
    // directory from an earlier Fledge lacks the ones added since.
    const operator = await Connection.connect({ address: temporalAddress });
    try {
      const added = await addMissingSearchAttributes(operator, api.temporal.namespace);
      if (added.length > 0) logger.info({ added }, 'registered search attributes the Temporal data lacked');
    } finally {
      await operator.close();
    }

    const database = await createPrismaClient({ embeddedDataDir: api.database.dataDir });
    closers.push(() => database.close());
    const store = createArtifactStore(api.artifacts);
    await store.ensureReady();

    const runtime = await startServingRuntime({
      host: serving.http.host,
      port: serving.http.port,
      bodyTimeoutMs: serving.http.bodyTimeoutMs,
      adminHost: serving.admin.host,
      adminPort: serving.admin.port,
      adminToken: serving.admin.token.reveal(),
      dataDir: serving.dataDir,
      artifactSource: store,
      logger: logger.child({ component: 'serving' }),
    });
    closers.push(() => runtime.close());
    await runtime.ready;

    const worker = await createWorkerApp(
      {
        ...configs.worker,
        temporal: { ...configs.worker.temporal, address: temporalAddress },
        serving: { ...configs.worker.serving, url: runtime.url, adminUrl: runtime.adminUrl },
      },
      { database, store, logger: logger.child({ component: 'worker' }) },
    );
    const running = worker.worker.run();
    closers.push(async () => {
      // The SDK's runtime starts the shutdown by itself on SIGINT/SIGTERM.
      if (worker.worker.getState() === 'RUNNING') worker.worker.shutdown();
      await running;
      await worker.close();
    });

    const apiApp = await createApiApp(
      {
        ...api,
        temporal: { ...api.temporal, address: temporalAddress },
        serving: { ...api.serving, url: runtime.url, adminUrl: runtime.adminUrl },
      },
      { database, store },
    );
    await apiApp.app.listen(api.http.port, api.http.host);
    closers.push(() => apiApp.close());

    return {
      apiUrl: `http://${api.http.host}:${api.http.port}/graphql`,
      servingUrl: runtime.url,
      servingAdminUrl: runtime.adminUrl,
      temporalAddress,
      temporalUiUrl: `http://${temporalHost}:${standalone.temporal.uiPort}`,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
