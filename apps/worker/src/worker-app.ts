import path from 'node:path';

import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Runtime, type LogLevel, type LogMetadata, type Worker } from '@temporalio/worker';
import { type WorkerConfig } from '@fledge/config';
import { createPrismaClient, EndpointRepository, type FledgeDatabase, type PrismaClient } from '@fledge/db';
import { createSageMakerBackend, LocalHostingBackend, type SageMakerBackend } from '@fledge/hosting';
import { OnnxModelRuntime } from '@fledge/inference';
import { createLogger, type Logger } from '@fledge/logger';
import { createArtifactStore, type ArtifactStore } from '@fledge/storage';

import { createGradingActivities } from './activities/grading.activities.js';
import { createRolloutActivities } from './activities/rollout.activities.js';
import { createFledgeWorker } from './fledge-worker.js';

export interface WorkerApp {
  worker: Worker;
  logger: Logger;
  /** Closes what the app opened (after `worker.run()` has returned). */
  close(): Promise<void>;
}

export interface WorkerAppOptions {
  database?: FledgeDatabase;
  store?: ArtifactStore;
  logger?: Logger;
}

const levels: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/** Sends the Temporal SDK's own log lines through our structured logger (once per process). */
export function installTemporalLogger(logger: Logger): void {
  const log = (level: LogLevel, message: string, meta?: LogMetadata) => logger[levels[level]]({ ...meta }, message);
  Runtime.install({
    logger: {
      log,
      trace: (m, meta) => log('TRACE', m, meta),
      debug: (m, meta) => log('DEBUG', m, meta),
      info: (m, meta) => log('INFO', m, meta),
      warn: (m, meta) => log('WARN', m, meta),
      error: (m, meta) => log('ERROR', m, meta),
    },
  });
}

/** Opens the worker's dependencies from its configuration and builds the worker. */
export async function createWorkerApp(config: WorkerConfig, options: WorkerAppOptions = {}): Promise<WorkerApp> {
  const logger = options.logger ?? createLogger({ level: config.log.level, name: 'worker' });
  const database =
    options.database ??
    (await createPrismaClient(
      config.database.kind === 'postgres'
        ? { databaseUrl: config.database.url.reveal() }
        : { embeddedDataDir: config.database.dataDir },
    ));
  const store = options.store ?? (await createArtifactStore(config.artifacts));
  const runtime = new OnnxModelRuntime({ workers: 1, session: { intraOpNumThreads: 1 } });
  let connection: NativeConnection | undefined;
  const clientClosers: (() => Promise<unknown>)[] = [];
  const sagemaker = sageMakerBackendOf(config, database.prisma, store);
  clientClosers.push(async () => sagemaker?.close());
  try {
    await store.ensureReady();
    // Wrong AWS credentials or a missing package bucket stop the worker now, naming the setting.
    await sagemaker?.verifyAccess();
    connection = await NativeConnection.connect({ address: config.temporal.address });
    // The gate's gradings are started from an activity, through a client of its own.
    let client: Promise<Client> | undefined;
    const temporalClient = () =>
      (client ??= Connection.connect({ address: config.temporal.address }).then(
        (c) => new Client({ connection: c, namespace: config.temporal.namespace }),
      ));
    clientClosers.push(async () => (await client)?.connection.close());
    const activities = {
      ...createGradingActivities({
        db: database.prisma,
        store,
        runtime,
        workDir: path.join(config.dataDir, 'worker'),
        logger: logger.child({ component: 'grading' }),
      }),
      ...createRolloutActivities({
        db: database.prisma,
        hosting: {
          local: new LocalHostingBackend({
            adminUrl: config.serving.adminUrl,
            adminToken: config.serving.adminToken.reveal(),
          }),
          ...(sagemaker && { sagemaker }),
        },
        temporal: temporalClient,
        taskQueue: config.temporal.taskQueue,
      }),
    };
    const worker = await createFledgeWorker({
      connection,
      namespace: config.temporal.namespace,
      taskQueue: config.temporal.taskQueue,
      activities,
    });
    return {
      worker,
      logger,
      async close() {
        for (const closeClient of clientClosers) await closeClient().catch(() => undefined);
        await connection?.close();
        await runtime.close();
        if (!options.database) await database.close();
      },
    };
  } catch (error) {
    sagemaker?.close();
    await connection?.close().catch(() => undefined);
    await runtime.close();
    if (!options.database) await database.close();
    throw error;
  }
}

/** The SageMaker hosting backend when FLEDGE_SAGEMAKER_BUCKET configures one; null otherwise. */
function sageMakerBackendOf(config: WorkerConfig, db: PrismaClient, store: ArtifactStore): SageMakerBackend | null {
  if (!config.sagemaker) return null;
  const endpoints = new EndpointRepository();
  return createSageMakerBackend(config.sagemaker, {
    artifacts: store,
    workDir: path.join(config.dataDir, 'worker', 'sagemaker'),
    endpointOptions: async (name) => (await endpoints.findByName(db, name))?.options ?? null,
  });
}
