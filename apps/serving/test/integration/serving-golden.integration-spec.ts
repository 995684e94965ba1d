import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { type ServingRuntime } from '../../src/index.js';
import { goldenCases, goldenEndpoints } from '../golden-corpus.js';
import { applyEndpoint, startTestRuntime, TestArtifacts, tempDir, variant } from '../serving-harness.js';

// Every answer of the corpus (test/golden-corpus.ts) equals, byte for byte, the answer the runtime
// gave when the file was recorded: status, the headers a client reads and the body. Recorded with
// FLEDGE_GOLDEN_RECORD=1 (only when the protocol itself is meant to change).

const GOLDEN = join(import.meta.dirname, '..', 'golden', 'oip-responses.json.gz');
const HEADERS = [
  'content-type',
  'inference-header-content-length',
  'fledge-variant',
  'fledge-model-version',
  'retry-after',
];

interface Answer {
  name: string;
  status: number;
  headers: Record<string, string>;
  body: string;
}

describe('serving answers, byte for byte', () => {
  let sut: ServingRuntime;

  beforeAll(async () => {
    const artifacts = new TestArtifacts(tempDir('fledge-golden-artifacts-'));
    sut = await startTestRuntime(artifacts.store);
    for (const e of goldenEndpoints()) {
      await applyEndpoint(sut, e.name, [variant(`${e.name}-v1`, await artifacts.add(e.name, e.model))]);
    }
  }, 600_000);

  afterAll(async () => {
    await sut?.close();
  });

  async function answer(c: ReturnType<typeof goldenCases>[number]): Promise<Answer> {
    const res = await fetch(`${sut.url}${c.path}`, { method: 'POST', headers: c.headers, body: c.body });
    const body = Buffer.from(await res.arrayBuffer());
    const headers: Record<string, string> = {};
    for (const h of HEADERS) {
      const v = res.headers.get(h);
      if (v !== null) headers[h] = v;
    }
    return { name: c.name, status: res.status, headers, body: body.toString('base64') };
  }

  it('answers every request of the corpus as recorded', async () => {
    const cases = goldenCases();
    const answers: Answer[] = [];
    for (const c of cases) answers.push(await answer(c));
    if (process.env.FLEDGE_GOLDEN_RECORD === '1') {
      writeFileSync(GOLDEN, gzipSync(JSON.stringify(answers, null, 1)));
      return;
    }
    const recorded = JSON.parse(gunzipSync(readFileSync(GOLDEN)).toString('utf8')) as Answer[];
    expect(answers.map((a) => a.name)).toEqual(recorded.map((a) => a.name));
    const differing = answers
      .map((a, i) => ({ got: a, want: recorded[i] }))
      .filter(({ got, want }) => JSON.stringify(got) !== JSON.stringify(want))
      .map(({ got, want }) => ({
        name: got.name,
        got: { ...got, body: Buffer.from(got.body, 'base64').toString('utf8').slice(0, 400) },
        want: { ...want, body: Buffer.from(want.body, 'base64').toString('utf8').slice(0, 400) },
      }));
    expect(differing.slice(0, 5)).toEqual([]);
    // Not vacuous: the corpus holds successes, client errors and a model failure.
    const statuses = new Set(answers.map((a) => a.status));
    expect([...statuses].sort()).toEqual(expect.arrayContaining([200, 400, 404, 500]));
  });
});
