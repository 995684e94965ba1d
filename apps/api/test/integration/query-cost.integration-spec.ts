import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { openTestDatabase, serverTestEnv, uniqueName } from '@fledge/testing';

import {
  LIST_MODELS_WITH_LATEST,
  postGraphql,
  startInProcessApi,
  type InProcessApi,
} from '../support/in-process-api.js';
import { seedRegistry } from '../support/registry-seed.js';

describe('query cost of model listings (DataLoader batching)', () => {
  let api: InProcessApi;
  const prefix = uniqueName('cost');
  // Other suites share the run's database: list only this suite's models.
  const filter = { nameContains: prefix };

  beforeAll(async () => {
    const db = await openTestDatabase();
    await seedRegistry(db.prisma, prefix, 60, 3);
    await db.close();
    api = await startInProcessApi(serverTestEnv());
  });

  afterAll(async () => api?.close());

  it('sends the same number of SQL statements for a page of 10 and a page of 50 models with nested fields', async () => {
    const counts: Record<number, number> = {};
    for (const first of [10, 50]) {
      // Warm the key cache first, so authentication costs the same in both measured requests.
      await postGraphql(api.url, api.adminKey, LIST_MODELS_WITH_LATEST, { first: 1, filter });
      api.resetStatements();
      const data = await postGraphql(api.url, api.adminKey, LIST_MODELS_WITH_LATEST, { first, filter });
      counts[first] = api.statements();
      expect(data.models.edges).toHaveLength(first);
      expect(data.models.edges.every((e: any) => e.node.latestVersion?.version === 3)).toBe(true);
      expect(data.models.edges.every((e: any) => e.node.latestVersion.evaluations.length === 1)).toBe(true);
    }
    expect(counts[50]).toBe(counts[10]);
    expect(counts[10]).toBeLessThanOrEqual(8);
  });
});
