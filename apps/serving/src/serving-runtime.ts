import { type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { join } from 'node:path';

import { OnnxModelRuntime } from '@fledge/inference';

import { createAdminServer } from './control/admin.server.js';
import { EndpointControlService } from './control/endpoint-control.service.js';
import { DataPlane } from './dataplane/dataplane.js';
import { ServingMetrics } from './metrics/serving-metrics.js';
import { ArtifactCache, type ArtifactSource } from './registry/artifact-cache.js';
import { DesiredStateStore } from './registry/desired-state.store.js';
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
  /** Resolves once the persisted endpoints are restored (readiness). */
  ready: Promise<void>;
  close(): Promise<void>;
}

const silentLogger: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

function urlOf(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

export const DEFAULT_BODY_TIMEOUT_MS = 30_000;

/**
 * Starts the serving runtime in this process: the OIP data plane, the admin API and the ORT
 * worker pool; restores the persisted endpoints. Used by `main.ts` and by the embedded process.
 * The listeners open at once (liveness answers); until the restore is done readiness is 503 and
 * model routes answer 503 RESTORING with Retry-After, never a 404 for an endpoint about to return.
 */
export async function startServingRuntime(options: ServingRuntimeOptions): Promise<ServingRuntime> {
  const host = options.host ?? '127.0.0.1';
  const adminHost = options.adminHost ?? '127.0.0.1';
  const bodyTimeoutMs = options.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS;
  const logger = options.logger ?? silentLogger;
  const horizon = options.statsHorizonSeconds ?? 600;
  const modelRuntime = new OnnxModelRuntime({
    workers: options.workers ?? 1,
    maxInFlightPerWorker: options.maxInFlightPerWorker,
  });
  const metrics = new ServingMetrics(horizon);
  const registry = new EndpointRegistry({
    runtime: modelRuntime,
    cache: new ArtifactCache(join(options.dataDir, 'serving', 'artifacts'), options.artifactSource),
    store: new DesiredStateStore(join(options.dataDir, 'serving', 'desired-state.json')),
    metrics,
    logger,
    drainTimeoutMs: options.drainTimeoutMs,
  });
  const dataplane = new DataPlane(registry);
  const control = new EndpointControlService(registry, metrics, () => modelRuntime.pool.stats(), horizon);
  let isReady = false;
  const rest = createRestServer(
    { dataplane, registry, metrics, logger, isReady: () => isReady },
    {
      maxBodyBytes: options.maxBodyBytes ?? 8 * 2 ** 20,
      bodyTimeoutMs,
      routingHeader: options.routingHeader ?? 'fledge-routing-key',
      serverVersion: '0.1.0',
    },
  );
  const admin = createAdminServer(control, { token: options.adminToken, bodyTimeoutMs }, logger);
  let port: number;
  let adminPort: number;
  try {
    port = await listen(rest, options.port, host);
    adminPort = await listen(admin, options.adminPort, adminHost);
  } catch (error) {
    await Promise.all([closeServer(rest), closeServer(admin)]);
    await modelRuntime.close();
    throw error;
  }
  const ready = registry.restore().then(() => {
    isReady = true;
    logger.info({ endpoints: registry.list().length, port, adminPort }, 'serving runtime ready');
  });
  return {
    url: urlOf(host, port),
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
      await modelRuntime.close();
    },
  };
}
