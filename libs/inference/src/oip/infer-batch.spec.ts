import { describe, expect, it } from '@jest/globals';
import { type PredictionSpec } from '@fledge/domain';
import { FledgeError } from '@fledge/errors';

import { signatureFromMetadata } from '../model-signature.js';
import { type NamedTensor } from '../tensor.js';
import { type InferBatchOptions, type InferBody, inferBodies } from './infer-batch.js';
import { encodeInferResponse } from './oip.codec.js';

const signature = signatureFromMetadata(
  [{ name: 'x', isTensor: true, type: 'float32', shape: ['batch', 2] }],
  [
    { name: 'y', isTensor: true, type: 'float32', shape: ['batch', 2] },
    { name: 'label', isTensor: true, type: 'int64', shape: ['batch'] },
  ],
);
const prediction: PredictionSpec = {
  kind: 'CLASS_LABEL',
  output: 'label',
  classes: ['a', 'b'],
  classSource: 'model',
  labelValues: ['0', '1'],
  scoresOutput: null,
  scores: null,
  scoresSource: null,
};
const options: InferBatchOptions = { signature, maxBatchRows: 8, modelName: 'e', modelVersion: '3', prediction };

/** y = 2x; label = 1 when x[0] > 0; a row holding -1 makes the "model" fail, as onnxruntime would. */
function model(runs: number[][], seen: NamedTensor[][] = []) {
  return async (inputs: NamedTensor[]): Promise<NamedTensor[]> => {
    seen.push(inputs);
    const x = inputs[0].data as Float32Array;
    const rows = inputs[0].shape[0];
    runs.push([rows]);
    if (x.includes(-1))
      throw new FledgeError('INTERNAL', 'the model failed to run: boom', { reason: 'MODEL_RUN_FAILED' });
    return [
      { name: 'y', datatype: 'FP32', shape: [rows, 2], data: x.map((v) => v * 2) },
      {
        name: 'label',
        datatype: 'INT64',
        shape: [rows],
        data: BigInt64Array.from({ length: rows }, (_, r) => (x[r * 2] > 0 ? 1n : 0n)),
      },
    ];
  };
}

const json = (doc: unknown, extra: Partial<InferBody> = {}): InferBody => ({
  body: Buffer.from(JSON.stringify(doc)),
  respond: true,
  summarize: false,
  ...extra,
});
const rows = (...values: number[][]) => ({
  inputs: [{ name: 'x', datatype: 'FP32', shape: [values.length, 2], data: values.flat() }],
});
const text = (r: Awaited<ReturnType<typeof inferBodies>>[number]) => (r.ok && r.response ? r.response.json : undefined);

describe(inferBodies.name, () => {
  it('stacks the requests into one run and answers each with exactly what it alone would get', async () => {
    const runs: number[][] = [];
    const results = await inferBodies(
      [json(rows([1, 2])), json({ ...rows([3, 4], [-5, 6]), id: 'b' }), json(rows([0.5, 0]))],
      options,
      model(runs),
    );
    expect(runs).toEqual([[4]]);
    const alone = (x: number[][], id?: string) =>
      encodeInferResponse(
        {
          modelName: 'e',
          modelVersion: '3',
          id,
          outputs: [
            { name: 'y', datatype: 'FP32', shape: [x.length, 2], data: Float32Array.from(x.flat(), (v) => v * 2) },
            {
              name: 'label',
              datatype: 'INT64',
              shape: [x.length],
              data: BigInt64Array.from(x, (r) => (r[0] > 0 ? 1n : 0n)),
            },
          ],
        },
        new Set(),
      ).body.toString();
    expect(results.map(text)).toEqual([
      alone([[1, 2]]),
      alone(
        [
          [3, 4],
          [-5, 6],
        ],
        'b',
      ),
      alone([[0.5, 0]]),
    ]);
    expect(results.map((r) => r.ok && r.rows)).toEqual([1, 2, 1]);
  });

  it('refuses a bad body alone, before any run, and serves its batch-mates', async () => {
    const runs: number[][] = [];
    const results = await inferBodies(
      [json(rows([1, 2])), { body: Buffer.from('{"inputs": ['), respond: true, summarize: false }, json(rows([3, 4]))],
      options,
      model(runs),
    );
    expect(runs).toEqual([[2]]);
    expect(results[1]).toEqual({
      ok: false,
      validated: false,
      error: {
        code: 'INVALID_ARGUMENT',
        message: 'malformed JSON: unexpected end at byte 12',
        reason: 'MALFORMED_JSON',
        details: {},
      },
    });
    expect(results[0].ok && results[2].ok).toBe(true);
  });

  it('reruns a failed stacked run one request at a time: only the request that makes the model fail fails', async () => {
    const runs: number[][] = [];
    const results = await inferBodies(
      [json(rows([1, 2])), json(rows([-1, 2])), json(rows([3, 4]))],
      options,
      model(runs),
    );
    expect(runs).toEqual([[3], [1], [1], [1]]);
    expect(results.map((r) => r.ok)).toEqual([true, false, true]);
    expect(results[1]).toMatchObject({ validated: true, error: { code: 'INTERNAL', reason: 'MODEL_RUN_FAILED' } });
  });

  it('stacks at most maxBatchRows rows (a larger request runs alone) and never stacks a model without a batch dimension', async () => {
    const runs: number[][] = [];
    const bodies = [
      json(rows([1, 1], [1, 1])),
      json(rows([1, 1])),
      json(rows([1, 1], [1, 1], [1, 1])),
      json(rows([1, 1])),
    ];
    await inferBodies(bodies, { ...options, maxBatchRows: 3 }, model(runs));
    expect(runs).toEqual([[3], [3], [1]]);
    const fixed = signatureFromMetadata(
      [{ name: 'x', isTensor: true, type: 'float32', shape: [1, 2] }],
      [{ name: 'y', isTensor: true, type: 'float32', shape: [1, 2] }],
    );
    const single: number[][] = [];
    await inferBodies([json(rows([1, 1])), json(rows([2, 2]))], { ...options, signature: fixed }, model(single));
    expect(single).toEqual([[1], [1]]);
  });

  it('answers the outputs asked for, refusing an unknown one after the run', async () => {
    const results = await inferBodies(
      [json({ ...rows([1, 2]), outputs: [{ name: 'label' }] }), json({ ...rows([1, 2]), outputs: [{ name: 'nope' }] })],
      options,
      model([]),
    );
    expect(JSON.parse(text(results[0])!).outputs.map((o: { name: string }) => o.name)).toEqual(['label']);
    expect(results[1]).toMatchObject({ ok: false, validated: true, error: { reason: 'OUTPUT_UNKNOWN' } });
  });

  it('reads each answer through the prediction spec when asked (null when it does not fit)', async () => {
    const results = await inferBodies(
      [json(rows([1, 2], [-3, 0]), { summarize: true, respond: false }), json(rows([1, 2]), { summarize: true })],
      options,
      model([]),
    );
    expect(results[0]).toEqual({ ok: true, rows: 2, summary: { kind: 'class', values: ['b', 'a'] } });
    const unfit = await inferBodies(
      [json(rows([1, 2]), { summarize: true })],
      { ...options, prediction: { ...prediction, output: 'missing' } },
      model([]),
    );
    expect(unfit[0]).toMatchObject({ ok: true, summary: null });
  });

  it('runs binary tensors in place: the model sees a view on the request body, not a copy', async () => {
    const header = Buffer.from(
      JSON.stringify({ inputs: [{ name: 'x', datatype: 'FP32', shape: [1, 2], parameters: { binary_data_size: 8 } }] }),
    );
    const pad = (8 - (header.length % 8)) % 8;
    const buffer = new ArrayBuffer(pad + header.length + 8);
    const body = new Uint8Array(buffer, pad, header.length + 8);
    body.set(header);
    new Float32Array(buffer, pad + header.length, 2).set([1.5, 2.5]);
    const seen: NamedTensor[][] = [];
    const [result] = await inferBodies(
      [{ body, headerLength: String(header.length), respond: true, summarize: false }],
      options,
      model([], seen),
    );
    expect(result.ok).toBe(true);
    const x = seen[0][0].data as Float32Array;
    expect(x.buffer).toBe(buffer);
    expect(Array.from(x)).toEqual([1.5, 2.5]);
  });
});
