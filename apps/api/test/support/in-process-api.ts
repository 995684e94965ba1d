import { type AddressInfo } from 'node:net';

import { loadApiConfig } from '@fledge/config';
import { createPrismaClient } from '@fledge/db';
import { newApiKeySecret } from '@fledge/testing';

import { createApiApp } from '../../src/create-api-app.js';

export interface InProcessApi {
  url: string;
  adminKey: string;
  /** SQL statements sent since the last reset. */
  statements: () => number;
  resetStatements: () => void;
  close(): Promise<void>;
}

/**
 * The API inside this process, with a database client that counts SQL statements: for N+1 tests
 * and the registry benchmark (black-box tests use startTestApi instead).
 */
export async function startInProcessApi(env: Record<string, string>): Promise<InProcessApi> {
  const adminKey = newApiKeySecret();
  const config = loadApiConfig({ FLEDGE_LOG_LEVEL: 'warn', ...env, FLEDGE_ADMIN_API_KEY: adminKey });
  let count = 0;
  const database = await createPrismaClient({ databaseUrl: env.DATABASE_URL, onQuery: () => count++ });
  const api = await createApiApp(config, { database });
  await api.app.listen(0, '127.0.0.1');
  const { port } = api.app.getHttpServer().address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    adminKey,
    statements: () => count,
    resetStatements: () => (count = 0),
    async close() {
      await api.close();
      await database.close();
    },
  };
}

export const LIST_MODELS_WITH_LATEST = `
  query($first: Int!, $after: String, $filter: ModelsFilter) {
    models(first: $first, after: $after, filter: $filter) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { name task aliases { name version } latestVersion { version sha256 sizeBytes createdAt evaluations { status metrics } } } }
    }
  }`;

export async function postGraphql(url: string, key: string, query: string, variables: Record<string, unknown>) {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: any; errors?: unknown[] };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}
