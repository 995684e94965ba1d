import { describe, expect, it } from '@jest/globals';
import { type ModelSignature, type PredictionSpec } from '@fledge/domain';
import { type NamedTensor, predictionSummary } from '@fledge/inference';

import { compareShadow, predictionFromSignature } from './shadow-comparison.js';

// What the inference thread sends back with an answer: the rows' predictions under the variant's spec.
const read = (v: { prediction: PredictionSpec | null; outputs: unknown[] }) => ({
  prediction: v.prediction,
  summary: predictionSummary(v.prediction, v.outputs as NamedTensor[]),
});
const compare = (a: Parameters<typeof read>[0], b: Parameters<typeof read>[0], tolerance?: number) =>
  compareShadow(read(a), read(b), tolerance);

const input = { name: 'x', datatype: 'FP32' as const, shape: [-1, 4] };
const sklearn: ModelSignature = {
  inputs: [input],
  outputs: [
    { name: 'label', datatype: 'INT64', shape: [-1] },
    { name: 'probabilities', datatype: 'FP32', shape: [-1, 3] },
  ],
};
const scoresOnly: ModelSignature = { inputs: [input], outputs: [{ name: 'logits', datatype: 'FP32', shape: [-1, 3] }] };
const regressor: ModelSignature = { inputs: [input], outputs: [{ name: 'y', datatype: 'FP32', shape: [-1, 1] }] };

const labels = (...v: bigint[]) => ({ name: 'label', shape: [v.length], data: BigInt64Array.from(v) });
const probabilities = (rows: number) => ({ name: 'probabilities', shape: [rows, 3], data: new Float32Array(rows * 3) });

describe(compareShadow.name, () => {
  it('compares skl2onnx classifiers on their label output, not their first float output', () => {
    const spec = predictionFromSignature(sklearn);
    expect(spec).toMatchObject({ kind: 'CLASS_LABEL', output: 'label' });
    const primary = { prediction: spec, outputs: [labels(0n, 1n, 2n, 2n), probabilities(4)] };
    const shadow = { prediction: spec, outputs: [labels(0n, 1n, 1n, 2n), probabilities(4)] };
    expect(compare(primary, shadow)).toEqual({ rows: 4, agreeing: 3 });
  });

  it('compares a label model with a logits model by class', () => {
    const primary = { prediction: predictionFromSignature(sklearn), outputs: [labels(2n, 0n), probabilities(2)] };
    const shadow = {
      prediction: predictionFromSignature(scoresOnly),
      outputs: [{ name: 'logits', shape: [2, 3], data: Float32Array.from([-1, 0, 9, 3, 4, -2]) }],
    };
    expect(compare(primary, shadow)).toEqual({ rows: 2, agreeing: 1 });
  });

  it('regression agrees within the relative tolerance', () => {
    const spec = predictionFromSignature(regressor);
    expect(spec).toMatchObject({ kind: 'REGRESSION', output: 'y' });
    const y = (...v: number[]) => [{ name: 'y', shape: [v.length, 1], data: Float32Array.from(v) }];
    expect(compare({ prediction: spec, outputs: y(100, 10) }, { prediction: spec, outputs: y(103, 12) }, 0.05)).toEqual(
      { rows: 2, agreeing: 1, absDiff: 2.5 },
    );
  });

  it('a shadow whose outputs do not fit its spec agrees nowhere; no spec measures nothing', () => {
    const spec = predictionFromSignature(sklearn);
    const primary = { prediction: spec, outputs: [labels(0n), probabilities(1)] };
    expect(compare(primary, { prediction: spec, outputs: [] })).toEqual({ rows: 1, agreeing: 0 });
    expect(compare(primary, { prediction: null, outputs: [] })).toBeUndefined();
    const image: ModelSignature = {
      inputs: [input],
      outputs: [{ name: 'mask', datatype: 'FP32', shape: [-1, 3, 8, 8] }],
    };
    expect(predictionFromSignature(image)).toBeNull();
  });
});
