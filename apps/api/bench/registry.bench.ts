// Registry read benchmark (`npm run bench:registry`): seeds 1,000 models × 10 versions with an
// evaluation each into a fresh database on the stack's PostgreSQL, then measures listing 50 models
// with their latest versions over GraphQL (latency percentiles, sequential and 8 concurrent
// clients) and the SQL statements each request costs at page sizes 10 and 50.
import { createPrismaClient } from '@fledge/db';
import { createTestDatabase, serverTestEnv } from '@fledge/testing';

import { LIST_MODELS_WITH_LATEST, postGraphql, startInProcessApi } from '../test/support/in-process-api.js';
import { seedRegistry } from '../test/support/registry-seed.js';

const MODELS = Number(process.env.BENCH_MODELS ?? 1000);
const VERSIONS = Number(process.env.BENCH_VERSIONS ?? 10);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 1000);

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
const fmt = (ms: number) => `${ms.toFixed(2)} ms`;

const testDb = await createTestDatabase();
const seedStarted = performance.now();
const seeder = await createPrismaClient({ databaseUrl: testDb.url });
await seedRegistry(seeder.prisma, 'bench', MODELS, VERSIONS);
await seeder.prisma.$executeRawUnsafe('ANALYZE');
await seeder.close();
console.log(
  `seeded ${MODELS} models × ${VERSIONS} versions (+ evaluations) in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s`,
);

const api = await startInProcessApi(serverTestEnv({ DATABASE_URL: testDb.url, FLEDGE_LOG_LEVEL: 'error' }));
try {
  const list = (first: number, after?: string) =>
    postGraphql(api.url, api.adminKey, LIST_MODELS_WITH_LATEST, { first, after: after ?? null });

  const statements: Record<number, number> = {};
  for (const first of [10, 50]) {
    await list(first);
    api.resetStatements();
    await list(first);
    statements[first] = api.statements();
  }

  // Pages spread over the whole table: walk cursors so requests are not all the first page.
  const cursors: (string | undefined)[] = [undefined];
  for (let page = await list(50); page.models.pageInfo.hasNextPage && cursors.length < 20;) {
    cursors.push(page.models.pageInfo.endCursor);
    page = await list(50, page.models.pageInfo.endCursor);
  }
  for (let i = 0; i < 100; i++) await list(50, cursors[i % cursors.length]);

  const sequential: number[] = [];
  for (let i = 0; i < REQUESTS; i++) {
    const started = performance.now();
    await list(50, cursors[i % cursors.length]);
    sequential.push(performance.now() - started);
  }
  sequential.sort((a, b) => a - b);

  const concurrent: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < REQUESTS) {
        const i = next++;
        const t = performance.now();
        await list(50, cursors[i % cursors.length]);
        concurrent.push(performance.now() - t);
      }
    }),
  );
  const concurrentSeconds = (performance.now() - started) / 1000;
  concurrent.sort((a, b) => a - b);

  console.log('\nlist 50 models with latest version, aliases and its evaluations (GraphQL over HTTP)');
  console.log(
    `  sequential, ${REQUESTS} requests: p50 ${fmt(percentile(sequential, 50))}  p99 ${fmt(percentile(sequential, 99))}  (goal p99 ≤ 30 ms)`,
  );
  console.log(
    `  8 concurrent clients:            p50 ${fmt(percentile(concurrent, 50))}  p99 ${fmt(percentile(concurrent, 99))}  ${(REQUESTS / concurrentSeconds).toFixed(0)} req/s`,
  );
  console.log(`  SQL statements per request: page 10 → ${statements[10]}, page 50 → ${statements[50]} (must be equal)`);
} finally {
  await api.close();
  await testDb.drop();
}
