import 'reflect-metadata';

import { readFile } from 'node:fs/promises';
import path from 'node:path';

import { type NestExpressApplication } from '@nestjs/platform-express';
import { NestFactory } from '@nestjs/core';
import { Client, Connection } from '@temporalio/client';
import { type ApiConfig } from '@fledge/config';
import { createPrismaClient, EndpointRepository, type FledgeDatabase } from '@fledge/db';
import { createSageMakerBackend, LocalHostingBackend } from '@fledge/hosting';
import { nestLoggerParams } from '@fledge/logger';
import { createArtifactStore, type ArtifactStore } from '@fledge/storage';
import { Logger, LoggerModule } from 'nestjs-pino';

import { ApiModule, type ApiContext } from './api.module.js';
import { AuthService } from './auth/auth.service.js';
import { GradingLauncher } from './evaluation/grading.launcher.js';
import { RolloutWorkflows } from './rollout/rollout.workflows.js';
import { OnnxModelInspector } from './model/onnx-model.inspector.js';
import { parseCertificates, SnsMessageVerifier } from './rollout/sns-message.verifier.js';
import { webConsoleDir, webConsoleModule } from './web-console/web-console.module.js';

export interface ApiApp {
  app: NestExpressApplication;
  close(): Promise<void>;
}

export interface ApiAppOptions {
  /** An already open database (the all-in-one process shares one). */
  database?: FledgeDatabase;
  store?: ArtifactStore;
}

/** Builds the API from its configuration: database, artifact store, ORT inspector, Nest app. */
export async function createApiApp(config: ApiConfig, options: ApiAppOptions = {}): Promise<ApiApp> {
  const database =
    options.database ??
    (await createPrismaClient(
      config.database.kind === 'postgres'
        ? { databaseUrl: config.database.url.reveal() }
        : { embeddedDataDir: config.database.dataDir },
    ));
  const store = options.store ?? (await createArtifactStore(config.artifacts));
  await store.ensureReady();
  const inspector = new OnnxModelInspector(store);
  // Lazy: the API boots without Temporal; the first workflow start connects.
  const temporal = Connection.lazy({ address: config.temporal.address });
  const temporalClient = new Client({ connection: temporal, namespace: config.temporal.namespace });
  // Read-only here (live statistics from CloudWatch); the worker's instance deploys.
  const endpoints = new EndpointRepository();
  const sagemaker =
    config.sagemakerBackend &&
    createSageMakerBackend(config.sagemakerBackend, {
      artifacts: store,
      workDir: path.join(config.dataDir, 'api', 'sagemaker'),
      endpointOptions: async (name) => (await endpoints.findByName(database.prisma, name))?.options ?? null,
    });
  const context: ApiContext = {
    db: database.prisma,
    store,
    inspector,
    settings: {
      maxUploadBytes: config.uploads.maxBytes,
      graphql: { ...config.graphql },
      bootstrapAdminKey: config.auth.bootstrapAdminApiKey?.reveal() ?? null,
      servingUrl: config.serving.url,
      sagemakerDefaults: config.sagemaker,
    },
    grading: new GradingLauncher(temporalClient, config.temporal.taskQueue),
    rollouts: new RolloutWorkflows(temporalClient, config.temporal.taskQueue),
    sns: new SnsMessageVerifier({
      certHosts: config.sns.certHosts,
      caCertificates: config.sns.caFile ? await readCaFile(config.sns.caFile) : null,
    }),
    hosting: {
      local: new LocalHostingBackend({
        adminUrl: config.serving.adminUrl,
        adminToken: config.serving.adminToken.reveal(),
        timeoutMs: 5000,
      }),
      ...(sagemaker && { sagemaker }),
    },
  };
  const webConsole = webConsoleModule();
  const app = await NestFactory.create<NestExpressApplication>(
    {
      module: class ApiRootModule {},
      imports: [
        LoggerModule.forRoot(nestLoggerParams({ level: config.log.level, name: 'api' })),
        ApiModule.register(context),
        ...(webConsole ? [webConsole] : []),
      ],
    },
    { bufferLogs: true, bodyParser: false },
  );
  app.useLogger(app.get(Logger));
  if (!webConsole) app.get(Logger).warn({ dir: webConsoleDir }, 'the web console is not built: `/` serves nothing');
  app.useBodyParser('json', { limit: '1mb' });
  // Amazon SNS posts its JSON as text/plain.
  app.useBodyParser('text', { type: 'text/plain', limit: '256kb' });
  app.enableShutdownHooks();
  await app.get(AuthService).ensureBootstrapAdmin(context.settings.bootstrapAdminKey);
  return {
    app,
    async close() {
      await app.close();
      await inspector.close();
      await temporal.close();
      sagemaker?.close();
      if (!options.database) await database.close();
    },
  };
}

/** The PEM bundle named by FLEDGE_SNS_CA_FILE; an unreadable or empty one stops the API at boot. */
async function readCaFile(file: string) {
  const certificates = parseCertificates(
    await readFile(file, 'utf8').catch((error: Error) => {
      throw new Error(`FLEDGE_SNS_CA_FILE: cannot read ${file}: ${error.message}`);
    }),
  );
  if (certificates.length === 0) throw new Error(`FLEDGE_SNS_CA_FILE: ${file} holds no PEM certificate`);
  return certificates;
}
