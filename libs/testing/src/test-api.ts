import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export type TestRole = 'admin' | 'scientist' | 'engineer' | 'viewer';

export interface TestApi {
  url: string;
  /** One API key per role (the admin one is the bootstrap key). */
  keys: Record<TestRole, string>;
  /** The environment the API process runs with (database URL, artifact store settings). */
  env: Record<string, string>;
  /** Runs a GraphQL operation with a key and returns the parsed body ({ data, errors }). */
  graphql<T = any>(
    query: string,
    variables?: Record<string, unknown>,
    key?: string | null,
  ): Promise<{ data?: T; errors?: { message: string; extensions?: Record<string, unknown> }[] }>;
  /** The process's output so far, for failure messages. */
  logs(): string;
  close(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export function newApiKeySecret(): string {
  const lookup = randomBytes(12).toString('hex').slice(0, 12);
  return `fledge_${lookup}_${randomBytes(32).toString('base64url')}`;
}

/**
 * Starts the real API as a child process (the black-box way users run it) on a free port, with
 * the given environment (database, artifact store), waits for it to answer, and creates one key
 * per role through GraphQL.
 */
export async function startTestApi(env: Record<string, string>): Promise<TestApi> {
  const port = await freePort();
  const adminKey = newApiKeySecret();
  const dataDir = await mkdtemp(path.join(tmpdir(), 'fledge-api-'));
  const fullEnv: Record<string, string> = {
    FLEDGE_DATA_DIR: dataDir,
    FLEDGE_LOG_LEVEL: 'warn',
    ...env,
    FLEDGE_API_HOST: '127.0.0.1',
    FLEDGE_API_PORT: String(port),
    FLEDGE_ADMIN_API_KEY: adminKey,
  };
  let output = '';
  const child: ChildProcess = spawn(process.execPath, ['scripts/run.mjs', 'apps/api/src/main.ts'], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...fullEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // FLEDGE_TEST_SERVER_LOGS=1 shows the server's own log lines while debugging a test.
  const echo = process.env.FLEDGE_TEST_SERVER_LOGS === '1';
  const collect = (d: Buffer) => {
    output += d.toString();
    if (echo) process.stderr.write(d);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;

  const graphql: TestApi['graphql'] = async (query, variables = {}, key = adminKey) => {
    const res = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as never;
  };

  const deadline = Date.now() + 60_000;
  for (;;) {
    const code = await Promise.race([exited, new Promise((r) => setTimeout(r, 200, 'waiting'))]);
    if (code !== 'waiting') throw new Error(`the API exited with code ${String(code)} before it was ready:\n${output}`);
    try {
      const res = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ health { status } }' }),
      });
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the API did not answer within 60 s:\n${output}`);
    }
  }

  const keys = { admin: adminKey } as Record<TestRole, string>;
  for (const role of ['scientist', 'engineer', 'viewer'] as const) {
    const res = await graphql<{ createApiKey: { secret: string } }>(
      'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }',
      { input: { name: `test-${role}`, role: role.toUpperCase() } },
    );
    if (!res.data) {
      child.kill('SIGKILL');
      throw new Error(`could not create the ${role} key: ${JSON.stringify(res.errors)}\n${output}`);
    }
    keys[role] = res.data.createApiKey.secret;
  }

  return {
    url,
    keys,
    env: fullEnv,
    graphql,
    logs: () => output,
    async close() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
