import { request } from 'node:http';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { freePort, ServerProcess } from '@fledge/testing';
import { getModel, loadDigits } from '@fledge/trainer';

import { type VariantSpec } from '../../src/index.js';
import { ADMIN_TOKEN, pixelsRequest, servingProcessEnv, tempDir, TestArtifacts, variant } from '../serving-harness.js';

// The serving runtime as its own process (main.ts) with FLEDGE_SERVING_PROCESSES=2: the
// authoritative process and one more data-plane process share the port (SO_REUSEPORT). Every
// request opens its own connection, so the kernel spreads them over both; the
// `fledge-serving-process` header names the process (`<slot>.<incarnation>`) that answered.

interface Answer {
  status: number;
  process: string;
  variant: string;
  reason?: string;
}

describe('serving runtime with 2 data-plane processes', () => {
  const dataDir = tempDir('fledge-serving-mp-data-');
  const artifactDir = tempDir('fledge-serving-mp-artifacts-');
  const artifacts = new TestArtifacts(artifactDir);
  const body = JSON.stringify(pixelsRequest(loadDigits().test.features.subarray(0, 784)));
  let port: number;
  let adminPort: number;
  let server: ServerProcess;
  let v1: VariantSpec;
  let v2: VariantSpec;

  const adminCall = async (method: string, path: string, payload?: unknown) => {
    const res = await fetch(`http://127.0.0.1:${adminPort}${path}`, {
      method,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: payload === undefined ? undefined : JSON.stringify(payload),
    });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  };
  const processes = async () =>
    (await adminCall('GET', '/admin/runtime')).json.processes as {
      slot: number;
      incarnation: number;
      pid: number;
      state: string;
      tag: string;
    }[];

  /** One inference on a connection of its own (no keep-alive), so the kernel picks a process each time. */
  const inferOnce = () =>
    new Promise<Answer>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          path: '/v2/models/digits/infer',
          method: 'POST',
          agent: false,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            resolve({
              status: res.statusCode ?? 0,
              process: String(res.headers['fledge-serving-process']),
              variant: String(res.headers['fledge-variant']),
              reason: res.statusCode === 200 ? undefined : (JSON.parse(text) as { reason?: string }).reason,
            });
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });

  /** GET /metrics on a connection of its own: whichever process the kernel picks answers. */
  const scrape = () =>
    new Promise<{ process: string; text: string }>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/metrics', agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ process: String(res.headers['fledge-serving-process']), text: Buffer.concat(chunks).toString() }),
        );
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    });

  /** Infers until every tag in `tags` answered (at most `max` requests: 2^-max odds of missing one). */
  const inferUntilAnswered = async (tags: string[], max = 200): Promise<Answer[]> => {
    const answers: Answer[] = [];
    const seen = new Set<string>();
    while (!tags.every((t) => seen.has(t)) && answers.length < max) {
      const a = await inferOnce();
      answers.push(a);
      seen.add(a.process);
    }
    expect([...seen].sort()).toEqual([...tags].sort());
    return answers;
  };

  const apply = (variants: VariantSpec[]) => adminCall('PUT', '/admin/endpoints/digits', { variants });

  beforeAll(async () => {
    port = await freePort();
    adminPort = await freePort();
    const [m1, m2] = await Promise.all([getModel('digits-mlp'), getModel('digits-mlp-v2')]);
    v1 = variant('digits-v1', await artifacts.add('digits-v1', m1.onnx), { modelName: 'digits' });
    v2 = variant('digits-v2', await artifacts.add('digits-v2', m2.onnx), { modelName: 'digits', version: 2 });
    server = await ServerProcess.start({
      name: 'serving',
      entry: 'apps/serving/src/main.ts',
      env: servingProcessEnv({ dataDir, artifactDir, port, adminPort, extra: { FLEDGE_SERVING_PROCESSES: '2' } }),
      ready: async () => (await processes()).every((p) => p.state === 'serving'),
    });
  }, 600_000);

  afterAll(async () => {
    await server?.kill('SIGKILL');
  });

  it('applies a weight change in every process before the admin call returns', async () => {
    expect((await processes()).map((p) => [p.slot, p.state, p.tag])).toEqual([
      [0, 'serving', '0.1'],
      [1, 'serving', '1.1'],
    ]);
    const first = await apply([v1, { ...v2, role: 'canary', weight: 0 }]);
    expect(first.status).toBe(200);
    for (const a of await inferUntilAnswered(['0.1', '1.1'])) expect([a.status, a.variant]).toEqual([200, 'digits-v1']);

    const changed = await apply([
      { ...v1, weight: 0 },
      { ...v2, role: 'canary', weight: 100 },
    ]);
    expect(changed.status).toBe(200);
    expect(changed.json.changed).toBe(true);
    // The very first requests after the call, in both processes, already route by the new weights.
    for (const a of await inferUntilAnswered(['0.1', '1.1'])) expect([a.status, a.variant]).toEqual([200, 'digits-v2']);
  }, 120_000);

  it('refuses a bad apply in every process: none swaps, all keep serving the last state', async () => {
    const bad = await apply([
      { ...v1, weight: 0, sha256: 'f'.repeat(64) },
      { ...v2, role: 'canary', weight: 100 },
    ]);
    expect(bad.status).toBe(422);
    expect(bad.json.code).toBe('INTEGRITY');
    const described = (await adminCall('GET', '/admin/endpoints/digits')).json as {
      variants: { variantName: string; weight: number; sha256: string }[];
    };
    expect(described.variants.map((v) => [v.variantName, v.weight, v.sha256])).toEqual([
      ['digits-v1', 0, v1.sha256],
      ['digits-v2', 100, v2.sha256],
    ]);
    for (const a of await inferUntilAnswered(['0.1', '1.1'])) expect([a.status, a.variant]).toEqual([200, 'digits-v2']);
  }, 120_000);

  it('reports statistics merged over both processes: the sum of what each answered', async () => {
    const since = Date.now() - 600_000;
    const before = await adminCall('GET', `/admin/endpoints/digits/stats?since=${since}`);
    const count = (json: Record<string, unknown>, name: string) =>
      (json.variants as { variant: string; requests: number; latency: { counts: number[] } }[]).find(
        (v) => v.variant === name,
      )!;
    const answers = await inferUntilAnswered(['0.1', '1.1']);
    const byProcess = new Map<string, number>();
    for (const a of answers) byProcess.set(a.process, (byProcess.get(a.process) ?? 0) + 1);
    const after = await adminCall('GET', `/admin/endpoints/digits/stats?since=${since}`);
    const v2After = count(after.json, 'digits-v2');
    expect(v2After.requests - count(before.json, 'digits-v2').requests).toBe(
      (byProcess.get('0.1') ?? 0) + (byProcess.get('1.1') ?? 0),
    );
    // One latency distribution for both: its bins count every successful request once.
    expect(v2After.latency.counts.reduce((a, b) => a + b, 0)).toBe(v2After.requests);

    // Prometheus: a scrape answered by either process shows both processes' counters, summed.
    const scraped = new Map<string, number>();
    for (let i = 0; i < 200 && scraped.size < 2; i++) {
      const { process: tag, text } = await scrape();
      const line = text
        .split('\n')
        .find(
          (l) =>
            l.startsWith('fledge_serving_requests_total{') &&
            l.includes('variant="digits-v2"') &&
            l.includes('code="200"'),
        );
      scraped.set(tag, Number(line?.split(' ').at(-1)));
    }
    expect(Object.fromEntries(scraped)).toEqual({ '0.1': v2After.requests, '1.1': v2After.requests });
  }, 120_000);

  it('replaces a SIGKILLed data-plane process, which restores the state before it takes traffic', async () => {
    const killed = (await processes()).find((p) => p.slot === 1)!;
    process.kill(killed.pid, 'SIGKILL');
    // Sequential traffic from the kill on, until the replacement (1.2) has answered 20 times.
    const answers: Answer[] = [];
    let connectionErrors = 0;
    while (answers.filter((a) => a.process === '1.2').length < 20) {
      try {
        answers.push(await inferOnce());
      } catch {
        connectionErrors++;
      }
      if (answers.length + connectionErrors > 5000) break;
    }
    // Only a connection already queued on the killed process's socket can fail; every answer,
    // from either process, comes from a restored state: never 503 RESTORING, never 404.
    expect(connectionErrors).toBeLessThanOrEqual(1);
    expect(answers.filter((a) => a.status !== 200 || a.variant !== 'digits-v2')).toEqual([]);
    expect(answers.filter((a) => a.process === '1.2').length).toBe(20);
    const now = await processes();
    expect(now.map((p) => [p.slot, p.incarnation, p.state])).toEqual([
      [0, 1, 'serving'],
      [1, 2, 'serving'],
    ]);
    expect(now[1].pid).not.toBe(killed.pid);
    // The replacement takes part in the next apply like the others.
    expect((await apply([v1, { ...v2, role: 'canary', weight: 0 }])).status).toBe(200);
    for (const a of await inferUntilAnswered(['0.1', '1.2'])) expect([a.status, a.variant]).toEqual([200, 'digits-v1']);
  }, 180_000);
});
