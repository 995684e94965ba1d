import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { CreateApiKeyDocument, FledgeClient, type Role, ViewerKeyDocument } from '@fledge/client';

import { answers, ServerProcess } from './server-process.js';

export type TestRole = 'admin' | 'scientist' | 'engineer' | 'viewer' | 'alerts';

export interface TestApi {
  url: string;
  /** One API key per role (the admin one is the bootstrap key). */
  keys: Record<TestRole, string>;
  /** Each key's id (what the audit trail records) and name (unique per API: runs share a database). */
  keyIds: Record<TestRole, string>;
  keyNames: Record<TestRole, string>;
  /** The environment the API process runs with (database URL, artifact store settings). */
  env: Record<string, string>;
  /**
   * Sends any GraphQL text with any key (null: none) and answers the HTTP status and the parsed
   * body, unchecked: only for tests that send malformed, unauthorised or over-budget operations on
   * purpose. Everything else goes through `client()`.
   */
  rawGraphql(query: string, variables?: Record<string, unknown>, key?: string | null): Promise<RawGraphqlResult>;
  /** The typed client with a role's key (admin by default): errors are thrown as FledgeApiError. */
  client(role?: TestRole): FledgeClient;
  /** The typed client with any key (e.g. one a test created); null sends none. */
  clientWithKey(key: string | null): FledgeClient;
  /** The process's output so far, for failure messages. */
  logs(): string;
  server: ServerProcess;
  close(): Promise<void>;
}

/** A GraphQL answer as it came, for tests that assert on refusals. */
export interface RawGraphqlResult {
  status: number;
  data?: unknown;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
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
  const url = `http://127.0.0.1:${port}`;
  const rawGraphql: TestApi['rawGraphql'] = async (query, variables = {}, key = adminKey) => {
    const res = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as Omit<RawGraphqlResult, 'status'>;
    return { status: res.status, data: body.data, errors: body.errors };
  };
  const clientWithKey = (key: string | null) => new FledgeClient({ apiUrl: url, apiKey: key });
  const server = await ServerProcess.start({
    name: 'api',
    entry: 'apps/api/src/main.ts',
    env: fullEnv,
    ready: () =>
      answers(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ health { status } }' }),
      }),
  });

  const keys = { admin: adminKey } as Record<TestRole, string>;
  const keyIds = {} as Record<TestRole, string>;
  const keyNames = {} as Record<TestRole, string>;
  try {
    const admin = clientWithKey(adminKey);
    const { viewer } = await admin.request(ViewerKeyDocument);
    keyIds.admin = viewer.id;
    keyNames.admin = viewer.name;
    const suffix = randomBytes(3).toString('hex');
    for (const role of ['scientist', 'engineer', 'viewer', 'alerts'] as const) {
      const { createApiKey } = await admin
        .request(CreateApiKeyDocument, { input: { name: `test-${role}-${suffix}`, role: role.toUpperCase() as Role } })
        .catch((error: unknown) => {
          throw new Error(`could not create the ${role} key: ${String(error)}\n${server.logs()}`, { cause: error });
        });
      keys[role] = createApiKey.secret;
      keyIds[role] = createApiKey.apiKey.id;
      keyNames[role] = createApiKey.apiKey.name;
    }
  } catch (error) {
    await server.kill('SIGKILL');
    throw error;
  }

  return {
    url,
    keys,
    keyIds,
    keyNames,
    env: fullEnv,
    rawGraphql,
    client: (role = 'admin') => clientWithKey(keys[role]),
    clientWithKey,
    logs: () => server.logs(),
    server,
    async close() {
      await server.kill();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
