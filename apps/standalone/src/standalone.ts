import { mkdir } from 'node:fs/promises';
import path from 'node:path';

import { TestWorkflowEnvironment } from '@temporalio/testing';
import { createApiApp } from '@fledge/api';
import { type ApiConfig, type ServingConfig, type StandaloneConfig, type WorkerConfig } from '@fledge/config';
import { createPrismaClient } from '@fledge/db';
import { type Logger } from '@fledge/logger';
import { startServingRuntime } from '@fledge/serving';
import { createArtifactStore } from '@fledge/storage';
import { createWorkerApp } from '@fledge/worker';
import { fledgeSearchAttributes } from '@fledge/workflows';

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
 * itself (the SDK's ephemeral server, run from the `temporal` binary, persisted in the data dir).
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
    logger.info({ cli: standalone.temporal.cli }, 'starting the Temporal dev server');
    const temporal = await TestWorkflowEnvironment.createLocal({
      server: {
        executable: { type: 'existing-path', path: standalone.temporal.cli },
        ip: '127.0.0.1',
        port: standalone.temporal.port,
        ui: true,
        uiPort: standalone.temporal.uiPort,
        dbFilename: path.join(api.dataDir, 'temporal.db'),
        namespace: api.temporal.namespace,
        searchAttributes: [...fledgeSearchAttributes],
      },
    });
    closers.push(() => temporal.teardown());
    const added = await addMissingSearchAttributes(temporal.connection, api.temporal.namespace);
    if (added.length > 0) logger.info({ added }, 'registered search attributes the Temporal data lacked');
    const temporalAddress = `127.0.0.1:${standalone.temporal.port}`;

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
      temporalUiUrl: `http://127.0.0.1:${standalone.temporal.uiPort}`,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
