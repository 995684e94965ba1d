import { readFileSync } from 'node:fs';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { serverTestEnv, startTestApi, type TestApi } from '@fledge/testing';
import fc from 'fast-check';
import { buildSchema } from 'graphql';

import { fuzzRequests, type FuzzRequest } from './graphql-documents.arbitrary.js';

/**
 * Property: whatever document, variables or body arrive, the API answers within the time limit,
 * with data or a 4xx-class refusal carrying a typed code: never a 5xx, never INTERNAL, never a
 * stack trace, and the process stays up. Seeded and reproducible: the seed is printed; set
 * FLEDGE_FUZZ_SEED to replay a run (or explore another), FLEDGE_FUZZ_RUNS for a longer one. The
 * API runs as its own process (as users run it): a crash cannot take the test down with it, and
 * "alive" is observable.
 */
const RUNS = Number(process.env.FLEDGE_FUZZ_RUNS ?? 2000);
const SEED = Number(process.env.FLEDGE_FUZZ_SEED ?? 0x5eed);
/** The property's time budget (FLEDGE_FUZZ_BUDGET_SECONDS): runs left when it ends are skipped, not failed. */
const BUDGET_MS = Number(process.env.FLEDGE_FUZZ_BUDGET_SECONDS ?? Math.max(180, RUNS * 0.1)) * 1000;
const ANSWER_LIMIT_MS = 5_000;

const schema = buildSchema(readFileSync(path.resolve('apps/api/schema.graphql'), 'utf8'));
const CLIENT_STATUSES = new Set([200, 400, 401, 403, 404, 409, 412, 413, 415, 422]);

describe('GraphQL fuzz: arbitrary documents against the real API process', () => {
  let api: TestApi;
  const stats = {
    cases: 0,
    byStatus: {} as Record<number, number>,
    reasons: {} as Record<string, number>,
    slowestMs: 0,
    server5xx: 0,
  };

  beforeAll(async () => {
    api = await startTestApi(serverTestEnv());
  });

  afterAll(async () => {
    console.log(
      `graphql fuzz: seed ${SEED}, ${stats.cases} cases, statuses ${JSON.stringify(stats.byStatus)}, reasons ${JSON.stringify(stats.reasons)}, 5xx ${stats.server5xx}, slowest ${stats.slowestMs.toFixed(0)} ms`,
    );
    await api?.close();
  });

  async function send(request: FuzzRequest, key: string | null) {
    const body =
      request.rawBody ??
      JSON.stringify({ query: request.query, variables: request.variables, operationName: request.operationName });
    const started = performance.now();
    const res = await fetch(`${api.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
      body,
      signal: AbortSignal.timeout(ANSWER_LIMIT_MS),
    });
    const text = await res.text();
    return { status: res.status, text, ms: performance.now() - started };
  }

  it(
    `answers ${RUNS} arbitrary requests with data or a typed 4xx, in time, and stays up`,
    async () => {
      console.log(`graphql fuzz: seed ${SEED} (replay with FLEDGE_FUZZ_SEED=${SEED}), ${RUNS} runs`);
      await fc.assert(
        fc.asyncProperty(fuzzRequests(schema), fc.constantFrom('admin', 'viewer', 'none'), async (request, who) => {
          const answer = await send(request, who === 'none' ? null : api.keys[who as 'admin' | 'viewer']);
          stats.cases++;
          stats.byStatus[answer.status] = (stats.byStatus[answer.status] ?? 0) + 1;
          stats.slowestMs = Math.max(stats.slowestMs, answer.ms);
          if (answer.status >= 500) stats.server5xx++;
          expect(
            CLIENT_STATUSES.has(answer.status)
              ? answer.status
              : `unexpected ${answer.status}: ${answer.text.slice(0, 300)}`,
          ).toBe(answer.status);
          expect(answer.text).not.toMatch(/stacktrace|node_modules|\bat \S+ \(|"INTERNAL"/);
          const body = JSON.parse(answer.text) as {
            data?: unknown;
            errors?: { extensions?: { code?: unknown } }[];
            error?: { code?: unknown };
          };
          if (body.errors) for (const error of body.errors) expect(typeof error.extensions?.code).toBe('string');
          const reason = String(
            (body.errors?.[0]?.extensions as { reason?: unknown } | undefined)?.reason ??
              (body.errors ? 'other' : 'data'),
          );
          stats.reasons[reason] = (stats.reasons[reason] ?? 0) + 1;
          if (!body.errors && !body.error) expect(body).toHaveProperty('data');
        }),
        {
          numRuns: RUNS,
          seed: SEED,
          interruptAfterTimeLimit: BUDGET_MS,
          markInterruptAsFailure: false,
          endOnFailure: true,
        },
      );
      expect(stats.server5xx).toBe(0);
      expect(() => process.kill(api.server.pid!, 0)).not.toThrow();
      const health = await send({ query: '{ health { status } }' }, null);
      expect(JSON.parse(health.text)).toEqual({ data: { health: { status: 'ok' } } });
    },
    BUDGET_MS + 60_000,
  );
});
