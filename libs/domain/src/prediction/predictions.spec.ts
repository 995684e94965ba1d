import { describe, expect, it } from '@jest/globals';

import { decidePrediction } from './prediction-spec.js';
import {
  classRows,
  comparePredictions,
  oneHotRows,
  rowPredictions,
  softmaxRows,
  type OutputValue,
} from './predictions.js';
import { type PredictionSpec } from './prediction.types.js';

const labelSpec: PredictionSpec = {
  kind: 'CLASS_LABEL',
  output: 'label',
  classes: ['setosa', 'versicolor', 'virginica'],
  classSource: 'model',
  labelValues: ['setosa', 'versicolor', 'virginica'],
  scoresOutput: 'probabilities',
  scores: 'probabilities',
  scoresSource: 'detected',
};
const scoresSpec = (scores: 'probabilities' | 'logits'): PredictionSpec => ({
  kind: 'CLASS_SCORES',
  output: 'scores',
  classes: ['setosa', 'versicolor', 'virginica'],
  classSource: 'metadata',
  labelValues: null,
  scoresOutput: 'scores',
  scores,
  scoresSource: 'declared',
});

describe(softmaxRows.name, () => {
  it('turns each row of logits into probabilities, without overflow for large logits', () => {
    const sut = softmaxRows([0, Math.log(3), 1000, 1000], 2);
    [0.25, 0.75, 0.5, 0.5].forEach((p, i) => expect(sut[i]).toBeCloseTo(p, 12));
  });
});

describe(classRows.name, () => {
  it('reads a label output through its values, and the probabilities beside it', () => {
    const outputs: OutputValue[] = [
      { name: 'label', shape: [3], data: ['virginica', 'setosa', 'unknown'] },
      { name: 'probabilities', shape: [3, 3], data: new Float32Array([0.1, 0.2, 0.7, 0.8, 0.1, 0.1, 0.3, 0.3, 0.4]) },
    ];
    const sut = classRows(labelSpec, outputs);
    expect(Array.from(sut.predicted)).toEqual([2, 0, -1]);
    expect(sut.probabilities![2]).toBeCloseTo(0.7);
  });

  it('reads int64 labels (BigInt64Array) by their text', () => {
    const spec = { ...labelSpec, classes: ['a', 'b'], labelValues: ['0', '1'], scoresOutput: null, scores: null };
    const sut = classRows(spec, [{ name: 'label', shape: [2], data: new BigInt64Array([1n, 0n]) }]);
    expect(Array.from(sut.predicted)).toEqual([1, 0]);
    expect(sut.probabilities).toBeNull();
  });

  it('takes the argmax of logits and gives their softmax as probabilities', () => {
    const outputs: OutputValue[] = [{ name: 'scores', shape: [1, 3], data: new Float32Array([2, 30, -4]) }];
    const sut = classRows(scoresSpec('logits'), outputs);
    expect(Array.from(sut.predicted)).toEqual([1]);
    const p = Array.from(sut.probabilities!);
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1);
    expect(p[1]).toBeGreaterThan(0.999);
  });

  it('fails clearly when the run lacks the output', () => {
    expect(() => classRows(labelSpec, [])).toThrow(/returned no label output/);
  });
});

describe(rowPredictions.name, () => {
  it('names classes the same way for a label model and a scores model, so they compare', () => {
    const a = rowPredictions(labelSpec, [
      { name: 'label', shape: [2], data: ['virginica', 'setosa'] },
      { name: 'probabilities', shape: [2, 3], data: new Float32Array(6) },
    ]);
    const b = rowPredictions(scoresSpec('probabilities'), [
      { name: 'scores', shape: [2, 3], data: new Float32Array([0, 0.1, 0.9, 0.2, 0.7, 0.1]) },
    ]);
    expect(a).toEqual({ kind: 'class', values: ['virginica', 'setosa'] });
    expect(b).toEqual({ kind: 'class', values: ['virginica', 'versicolor'] });
    expect(comparePredictions(a, b, 0)).toEqual({ rows: 2, agreeing: 1 });
  });

  it('renames label values through metadata labels', () => {
    const spec = { ...labelSpec, classes: ['zero', 'one'], labelValues: ['0', '1'], scoresOutput: null };
    expect(rowPredictions(spec, [{ name: 'label', shape: [3], data: new BigInt64Array([1n, 0n, 7n]) }])).toEqual({
      kind: 'class',
      values: ['one', 'zero', '7'],
    });
  });

  it('reads regression values from [batch, 1]', () => {
    const spec = decidePrediction({
      signature: { inputs: [], outputs: [{ name: 'y', datatype: 'FP32', shape: [-1, 1] }] },
      task: 'regression',
    });
    const sut = rowPredictions(spec, [{ name: 'y', shape: [2, 1], data: new Float32Array([1.5, -2]) }]);
    expect(sut.kind).toBe('value');
    expect(Array.from(sut.values as Float64Array)).toEqual([1.5, -2]);
  });
});

describe(comparePredictions.name, () => {
  it('regression agreement is the share within the relative tolerance', () => {
    const values = (...v: number[]) => ({ kind: 'value' as const, values: Float64Array.from(v) });
    const sut = comparePredictions(values(100, 100, 0, -50), values(104, 110, 0, -51), 0.05);
    expect(sut.rows).toBe(4);
    expect(sut.agreeing).toBe(3);
    expect(sut.absDiff).toBeCloseTo((4 + 10 + 0 + 1) / 4);
  });

  it('different row counts or kinds agree nowhere', () => {
    const classes = { kind: 'class' as const, values: ['a', 'b'] };
    expect(comparePredictions(classes, { kind: 'class', values: ['a'] }, 0)).toEqual({ rows: 2, agreeing: 0 });
    expect(comparePredictions(classes, { kind: 'value', values: new Float64Array(2) }, 0)).toEqual({
      rows: 2,
      agreeing: 0,
    });
  });
});

describe(oneHotRows.name, () => {
  it('puts all the mass on the predicted class', () => {
    expect(Array.from(oneHotRows(Int32Array.from([1, -1]), 2))).toEqual([0, 1, 0, 0]);
  });
});
