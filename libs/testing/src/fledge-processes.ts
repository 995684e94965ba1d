import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { answers, ServerProcess } from './server-process.js';
import { serverTestEnv, uniqueName } from './stack-env.js';
import { freePort, startTestApi, type TestApi } from './test-api.js';

export interface FledgeProcesses {
  api: TestApi;
  serving: ServerProcess;
  worker: ServerProcess;
  /** OIP data plane of the serving runtime. */
  servingUrl: string;
  servingAdminUrl: string;
  servingAdminToken: string;
  /** The environment every process runs with. */
  env: Record<string, string>;
  close(): Promise<void>;
}

export interface FledgeProcessesOptions {
  /** Settings for the API process only (e.g. a Temporal address that goes through a proxy). */
  api?: Record<string, string>;
}

/**
 * Fledge in distributed mode for end-to-end tests: the serving runtime, the worker and the API as
 * separate processes on the stack's PostgreSQL (the run's test database), Temporal (a task queue
 * of their own) and S3-compatible server (a bucket of their own).
 */
export async function startFledgeProcesses(
  overrides: Record<string, string> = {},
  options: FledgeProcessesOptions = {},
): Promise<FledgeProcesses> {
  const [servingPort, adminPort] = [await freePort(), await freePort()];
  const servingUrl = `http://127.0.0.1:${servingPort}`;
  const servingAdminUrl = `http://127.0.0.1:${adminPort}`;
  const servingAdminToken = randomBytes(24).toString('base64url');
  const dataDir = await mkdtemp(path.join(tmpdir(), 'fledge-e2e-'));
  const env = serverTestEnv({
    FLEDGE_MODE: 'distributed',
    FLEDGE_LOG_LEVEL: 'warn',
    FLEDGE_TEMPORAL_TASK_QUEUE: uniqueName('fledge-e2e'),
    FLEDGE_SERVING_URL: servingUrl,
    FLEDGE_SERVING_ADMIN_URL: servingAdminUrl,
    FLEDGE_SERVING_ADMIN_TOKEN: servingAdminToken,
    FLEDGE_SERVING_PORT: String(servingPort),
    FLEDGE_SERVING_ADMIN_PORT: String(adminPort),
    ...overrides,
  });
  const started: { kill(signal?: NodeJS.Signals): Promise<void> }[] = [];
  try {
    const serving = await ServerProcess.start({
      name: 'serving',
      entry: 'apps/serving/src/main.ts',
      env: { ...env, FLEDGE_DATA_DIR: path.join(dataDir, 'serving') },
      ready: () => answers(`${servingUrl}/v2/health/ready`),
    });
    started.push(serving);
    const worker = await ServerProcess.start({
      name: 'worker',
      entry: 'apps/worker/src/main.ts',
      env: { ...env, FLEDGE_DATA_DIR: path.join(dataDir, 'worker'), FLEDGE_LOG_LEVEL: 'info' },
      // The worker logs this line once it polls its task queue.
      ready: async (self) => self.runLogs().includes('worker started'),
    });
    started.push(worker);
    const api = await startTestApi({ ...env, FLEDGE_DATA_DIR: path.join(dataDir, 'api'), ...options.api });
    return {
      api,
      serving,
      worker,
      servingUrl,
      servingAdminUrl,
      servingAdminToken,
      env,
      async close() {
        await api.close();
        await worker.kill();
        await serving.kill();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    for (const process of started) await process.kill('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
}
