import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { type ModelSignature, type PredictionSpec } from '@fledge/domain';
import {
  decodeBodies,
  inferBodies,
  type InferRunOptions,
  inferShadow,
  type LoadedModel,
  type ModelLoadSpec,
  type ModelRuntime,
  type NamedTensor,
  type WireInferBody,
  type WireInferOptions,
  type WireInferReply,
} from '@fledge/inference';
import { LocalArtifactStore, modelVersionArtifactKey } from '@fledge/storage';

import { ServingMetrics } from '../metrics/serving-metrics.js';
import { ArtifactCache } from '../registry/artifact-cache.js';
import { DesiredStateStore } from '../registry/desired-state.store.js';
import { EndpointRegistry } from '../registry/endpoint-registry.js';
import { parseEndpointSpec, type VariantSpec } from '../registry/endpoint-spec.js';
import { DataPlane } from './dataplane.js';

const signature: ModelSignature = {
  inputs: [{ name: 'x', datatype: 'FP32', shape: [-1, 2] }],
  outputs: [
    { name: 'label', datatype: 'INT64', shape: [-1] },
    { name: 'probabilities', datatype: 'FP32', shape: [-1, 2] },
  ],
};
const prediction: PredictionSpec = {
  kind: 'CLASS_LABEL',
  output: 'label',
  classes: ['no', 'yes'],
  classSource: 'model',
  labelValues: ['0', '1'],
  scoresOutput: 'probabilities',
  scores: 'probabilities',
  scoresSource: 'detected',
};

interface PendingRun {
  key: string;
  priority: string | undefined;
  answer: (label: bigint) => void;
}

/**
 * onnxruntime's stand-in at the ModelRuntime boundary: request bodies go through the real
 * thread-side pipeline (inferBodies and inferShadow: decode, validate, encode, shadows on the
 * decoded requests after the primary's answer), but every model run waits until the test answers
 * it, so the order in which runs start is observable without timing.
 */
class ControlledRuntime implements ModelRuntime {
  readonly runs: PendingRun[] = [];
  private waiters: (() => void)[] = [];

  load(spec: ModelLoadSpec): Promise<LoadedModel> {
    return Promise.resolve({ key: spec.key, signature });
  }

  run(key: string, inputs: readonly NamedTensor[], options?: { priority?: string }): Promise<NamedTensor[]> {
    const rows = inputs[0].shape[0];
    return new Promise((resolve) => {
      this.runs.push({
        key,
        priority: options?.priority,
        answer: (label) =>
          resolve([
            { name: 'label', datatype: 'INT64', shape: [rows], data: new BigInt64Array(rows).fill(label) },
            { name: 'probabilities', datatype: 'FP32', shape: [rows, 2], data: new Float32Array(rows * 2).fill(0.5) },
          ]),
      });
      for (const w of this.waiters.splice(0)) w();
    });
  }

  async infer(
    key: string,
    bodies: readonly WireInferBody[],
    options: WireInferOptions,
    runOptions?: InferRunOptions,
  ): Promise<WireInferReply> {
    const decoded = decodeBodies(bodies);
    const results = await inferBodies(
      bodies,
      { signature, ...options },
      (inputs) => this.run(key, inputs, { priority: 'normal' }),
      undefined,
      decoded,
    );
    const shadows = runOptions?.shadows;
    if (shadows) {
      void Promise.all(
        shadows.runs.map(async (r) => ({
          results: (
            await inferShadow(bodies, decoded, results, r.bodies, { signature, ...r.options }, (inputs) =>
              this.run(r.key, inputs, { priority: 'shadow' }),
            )
          ).map((x) =>
            x === null || !x.ok ? x : { ok: true as const, rows: x.rows, offset: 0, length: 0, summary: x.summary },
          ),
          runs: [],
        })),
      ).then(shadows.settle, shadows.settle);
    }
    const texts = results.map((r) => (r.ok && r.response ? Buffer.from(r.response.json) : Buffer.alloc(0)));
    return {
      results: results.map((r, i) =>
        r.ok
          ? {
              ok: true,
              rows: r.rows,
              offset: texts.slice(0, i).reduce((n, t) => n + t.length, 0),
              length: texts[i].length,
              contentType: 'application/json',
              summary: r.summary,
            }
          : r,
      ),
      responses: new Uint8Array(Buffer.concat(texts)).buffer,
      runs: [],
    };
  }

  /** Resolves once `n` runs have started. */
  started(n: number): Promise<void> {
    if (this.runs.length >= n) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(() => void this.started(n).then(resolve)));
  }

  release(): Promise<void> {
    return Promise.resolve();
  }

  hasCapacity(): boolean {
    return true;
  }

  onCapacity(): void {}

  close(): Promise<void> {
    return Promise.resolve();
  }
}

describe(DataPlane.name, () => {
  let dir: string;
  let runtime: ControlledRuntime;
  let metrics: ServingMetrics;
  let sut: DataPlane;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'fledge-dataplane-'));
    const store = new LocalArtifactStore(path.join(dir, 'store'));
    runtime = new ControlledRuntime();
    metrics = new ServingMetrics();
    const registry = new EndpointRegistry({
      runtime,
      cache: new ArtifactCache(path.join(dir, 'cache'), store),
      store: new DesiredStateStore(path.join(dir, 'state.json')),
      metrics,
      logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
    });
    const variant = async (name: string, role: VariantSpec['role'], weight: number, rate: number) => {
      const put = await store.put(modelVersionArtifactKey(`m-${name}`, `v-${name}`), Buffer.from(`model ${name}`));
      return {
        variantName: name,
        modelVersionId: `v-${name}`,
        modelName: 'm',
        version: name === 'primary' ? 1 : 2,
        artifactUri: put.uri,
        sha256: put.sha256,
        role,
        weight,
        shadowSampleRate: rate,
        prediction,
      } satisfies VariantSpec;
    };
    const spec = parseEndpointSpec({
      variants: [await variant('primary', 'primary', 100, 0), await variant('shadow', 'shadow', 0, 1)],
    });
    await registry.apply('e', spec);
    sut = new DataPlane(registry);
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const infer = () =>
    sut.infer({
      endpoint: 'e',
      startedAt: performance.now(),
      body: Buffer.from(JSON.stringify({ inputs: [{ name: 'x', datatype: 'FP32', shape: [1, 2], data: [1, 2] }] })),
    });

  const run = (priority: string) => runtime.runs.find((r) => r.priority === priority)!;

  const shadowStats = () => {
    const variant = metrics.variantsOf('e').find((v) => v.labels.variant === 'shadow');
    return variant!.snapshot(0);
  };

  it('answers the client first, then runs the shadow on the request the primary decoded', async () => {
    const answered = infer();
    await runtime.started(1);
    expect(runtime.runs.map((r) => r.priority)).toEqual(['normal']);
    // The client never waits for the shadow: its run starts only once the primary has answered.
    run('normal').answer(1n);
    expect(JSON.parse((await answered).body.toString())).toMatchObject({
      outputs: [{ name: 'label', data: [1] }, { name: 'probabilities' }],
    });
    await runtime.started(2);
    expect(runtime.runs.map((r) => r.key)).toEqual([
      runtime.runs[0].key,
      expect.not.stringMatching(runtime.runs[0].key),
    ]);
    run('shadow').answer(1n);
    await sut.shadowsSettled();
    expect(shadowStats()).toMatchObject({ shadowSamples: 1, agreement: 1, requests: 1 });
  });

  it('compares the two on their label outputs once both have answered', async () => {
    const answered = infer();
    await runtime.started(1);
    run('normal').answer(1n);
    await answered;
    await runtime.started(2);
    run('shadow').answer(0n);
    await sut.shadowsSettled();
    expect(shadowStats()).toMatchObject({ shadowSamples: 1, agreement: 0 });
  });

  it('mirrors nothing the primary refuses: a malformed body counts on neither the shadow nor its agreement', async () => {
    const refused = sut.infer({ endpoint: 'e', startedAt: performance.now(), body: Buffer.from('{"inputs": [') });
    await expect(refused).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', reason: 'MALFORMED_JSON' });
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(runtime.runs).toEqual([]);
    expect(shadowStats()).toMatchObject({ requests: 0, clientErrors: 0, shadowSamples: 0, shadowErrors: 0 });
    const primary = metrics
      .variantsOf('e')
      .find((v) => v.labels.variant === 'primary')!
      .snapshot(0);
    expect(primary).toMatchObject({ requests: 1, clientErrors: 1, errors: 0 });
  });
});
