import { type Server, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';
import { join } from 'node:path';

import { OnnxModelRuntime } from '@fledge/inference';

import { createAdminServer } from './control/admin.server.js';
import { DataPlaneSupervisor } from './control/data-plane-supervisor.js';
import { EndpointControlService, localPartials } from './control/endpoint-control.service.js';
import { DataPlane } from './dataplane/dataplane.js';
import { ServingMetrics } from './metrics/serving-metrics.js';
import { ArtifactCache, type ArtifactSource } from './registry/artifact-cache.js';
import { type DesiredStateSource, DesiredStateStore } from './registry/desired-state.store.js';
import { EndpointRegistry, type Logger } from './registry/endpoint-registry.js';
import { createRestServer } from './rest/rest.server.js';

export interface ServingRuntimeOptions {
  /** Data plane bind address (default 127.0.0.1). */
  host?: string;
  /** Data plane port (OIP v2); 0 picks a free port. */
  port: number;
  /** Admin API bind address, apart from the data plane's (default 127.0.0.1 whatever `host` is). */
  adminHost?: string;
  /** Admin API port; 0 picks a free port. */
  adminPort: number;
  adminToken: string;
  /** Artifact cache and persisted desired state live under `<dataDir>/serving`. */
  dataDir: string;
  artifactSource: ArtifactSource;
  /** ORT worker threads (default 1: the HTTP front keeps the main thread, ORT gets one core). */
  workers?: number;
  maxInFlightPerWorker?: number;
  maxBodyBytes?: number;
  /** A request body must arrive whole within this time, else 408 (default 30 s). */
  bodyTimeoutMs?: number;
  routingHeader?: string;
  statsHorizonSeconds?: number;
  drainTimeoutMs?: number;
  logger?: Logger;
  /**
   * Data-plane processes sharing `port` (SO_REUSEPORT), this one included (default 1: everything
   * in this process, as in embedded mode). The others are child processes that read the artifact
   * store settings from the environment (`loadServingConfig`), as `main.ts` does.
   */
  processes?: number;
}

export interface ServingRuntime {
  url: string;
  adminUrl: string;
  port: number;
  adminPort: number;
  dataplane: DataPlane;
  registry: EndpointRegistry;
  control: EndpointControlService;
  metrics: ServingMetrics;
  modelRuntime: OnnxModelRuntime;
  /**
   * Resolves once the persisted endpoints are restored (readiness) and, with several processes,
   * once every other data-plane process has restored them too and listens.
   */
  ready: Promise<void>;
  close(): Promise<void>;
}

export const silentLogger: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };

export function listen(server: Server, port: number, host: string, reusePort = false): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host, reusePort }, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

function urlOf(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

export const DEFAULT_BODY_TIMEOUT_MS = 30_000;

/** What every data-plane process (the authoritative one and the others) is built with. */
export interface DataPlaneSettings {
  host: string;
  dataDir: string;
  workers: number;
  maxInFlightPerWorker?: number;
  maxBodyBytes: number;
  bodyTimeoutMs: number;
  routingHeader: string;
  statsHorizonSeconds: number;
  drainTimeoutMs?: number;
}

export function dataPlaneSettings(options: ServingRuntimeOptions): DataPlaneSettings {
  return {
    host: options.host ?? '127.0.0.1',
    dataDir: options.dataDir,
    workers: options.workers ?? 1,
    maxInFlightPerWorker: options.maxInFlightPerWorker,
    maxBodyBytes: options.maxBodyBytes ?? 8 * 2 ** 20,
    bodyTimeoutMs: options.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS,
    routingHeader: options.routingHeader ?? 'fledge-routing-key',
    statsHorizonSeconds: options.statsHorizonSeconds ?? 600,
    drainTimeoutMs: options.drainTimeoutMs,
  };
}

/** One process's data plane: ORT pool, registry, router and the OIP server (not listening yet). */
export interface DataPlaneCore {
  modelRuntime: OnnxModelRuntime;
  metrics: ServingMetrics;
  registry: EndpointRegistry;
  dataplane: DataPlane;
  rest: Server;
  markReady(): void;
}

export function createDataPlaneCore(
  settings: DataPlaneSettings,
  deps: { artifactSource: ArtifactSource; store: DesiredStateSource; logger: Logger; processTag?: string },
): DataPlaneCore {
  const modelRuntime = new OnnxModelRuntime({
    workers: settings.workers,
    maxInFlightPerWorker: settings.maxInFlightPerWorker,
  });
  const metrics = new ServingMetrics(settings.statsHorizonSeconds);
  const registry = new EndpointRegistry({
    runtime: modelRuntime,
    cache: new ArtifactCache(join(settings.dataDir, 'serving', 'artifacts'), deps.artifactSource),
    store: deps.store,
    metrics,
    logger: deps.logger,
    drainTimeoutMs: settings.drainTimeoutMs,
  });
  const dataplane = new DataPlane(registry);
  let isReady = false;
  const rest = createRestServer(
    { dataplane, registry, metrics, logger: deps.logger, isReady: () => isReady },
    {
      maxBodyBytes: settings.maxBodyBytes,
      bodyTimeoutMs: settings.bodyTimeoutMs,
      routingHeader: settings.routingHeader,
      serverVersion: '0.1.0',
    },
  );
  const tag = deps.processTag;
  // With several processes on one port, every answer names the process that gave it.
  if (tag !== undefined)
    rest.prependListener('request', (_req, res: ServerResponse) => res.setHeader(PROCESS_HEADER, tag));
  return {
    modelRuntime,
    metrics,
    registry,
    dataplane,
    rest,
    markReady: () => {
      isReady = true;
    },
  };
}

/** Response header naming the answering process (`<slot>.<incarnation>`) when several share the port. */
export const PROCESS_HEADER = 'fledge-serving-process';

/**
 * Starts the serving runtime in this process: the OIP data plane, the admin API and the ORT
 * worker pool; restores the persisted endpoints. Used by `main.ts` and by the embedded process.
 * The listeners open at once (liveness answers); until the restore is done readiness is 503 and
 * model routes answer 503 RESTORING with Retry-After, never a 404 for an endpoint about to return.
 *
 * With `processes` > 1 this process stays authoritative (admin API, persisted state) and starts
 * `processes - 1` more data-plane processes on the same port (see DataPlaneSupervisor).
 */
export async function startServingRuntime(options: ServingRuntimeOptions): Promise<ServingRuntime> {
  const settings = dataPlaneSettings(options);
  const adminHost = options.adminHost ?? '127.0.0.1';
  const logger = options.logger ?? silentLogger;
  const processes = options.processes ?? 1;
  const store = new DesiredStateStore(join(options.dataDir, 'serving', 'desired-state.json'));
  const core = createDataPlaneCore(settings, {
    artifactSource: options.artifactSource,
    store,
    logger,
    processTag: processes > 1 ? '0.1' : undefined,
  });
  const { modelRuntime, metrics, registry, dataplane, rest } = core;
  let port: number;
  try {
    port = await listen(rest, options.port, settings.host, processes > 1);
  } catch (error) {
    await closeServer(rest);
    await modelRuntime.close();
    throw error;
  }
  const supervisor =
    processes > 1
      ? new DataPlaneSupervisor({
          count: processes - 1,
          port,
          settings,
          store,
          metrics,
          logger,
          localPartials: (name, from, to) => localPartials(metrics, registry, name, from, to),
        })
      : undefined;
  const control = new EndpointControlService(
    registry,
    metrics,
    () => modelRuntime.pool.stats(),
    settings.statsHorizonSeconds,
    supervisor,
  );
  const admin = createAdminServer(
    control,
    { token: options.adminToken, bodyTimeoutMs: settings.bodyTimeoutMs },
    logger,
  );
  let adminPort: number;
  try {
    adminPort = await listen(admin, options.adminPort, adminHost);
  } catch (error) {
    await Promise.all([closeServer(rest), closeServer(admin)]);
    await modelRuntime.close();
    throw error;
  }
  const restored = registry.restore().then(() => {
    core.markReady();
    logger.info({ endpoints: registry.list().length, port, adminPort }, 'serving runtime ready');
  });
  const ready = supervisor ? restored.then(() => supervisor.start()) : restored;
  return {
    url: urlOf(settings.host, port),
    adminUrl: urlOf(adminHost, adminPort),
    port,
    adminPort,
    dataplane,
    registry,
    control,
    metrics,
    modelRuntime,
    ready,
    async close() {
      await Promise.all([closeServer(rest), closeServer(admin)]);
      await ready.catch(() => undefined);
      await supervisor?.close();
      await modelRuntime.close();
    },
  };
}
