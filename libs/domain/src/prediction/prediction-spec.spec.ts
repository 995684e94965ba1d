import { describe, expect, it } from '@jest/globals';

import { type ModelSignature, type TensorSpec } from '../registry/registry.types.js';
import { decidePrediction, isPredictionSpec, predictionClasses, predictionOf } from './prediction-spec.js';
import { type ModelFacts } from './prediction.types.js';

const input: TensorSpec = { name: 'input', datatype: 'FP32', shape: [-1, 4] };
const sig = (...outputs: TensorSpec[]): ModelSignature => ({ inputs: [input], outputs });
const label = (datatype: TensorSpec['datatype'] = 'INT64'): TensorSpec => ({ name: 'label', datatype, shape: [-1] });
const probabilities: TensorSpec = { name: 'probabilities', datatype: 'FP32', shape: [-1, 3] };
const facts = (
  outputClasses: Record<string, string[]> = {},
  probabilityLike: Record<string, boolean> = {},
): ModelFacts => ({
  outputClasses,
  probabilityLike,
});

describe(decidePrediction.name, () => {
  it('skl2onnx classifier: compares the int64 label, grades with the probabilities, classes from the model', () => {
    const sut = decidePrediction({
      signature: sig(label(), probabilities),
      task: 'classification',
      facts: facts({ label: ['0', '1', '2'] }, { probabilities: true }),
    });
    expect(sut).toEqual({
      kind: 'CLASS_LABEL',
      output: 'label',
      classes: ['0', '1', '2'],
      classSource: 'model',
      labelValues: ['0', '1', '2'],
      scoresOutput: 'probabilities',
      scores: 'probabilities',
      scoresSource: 'detected',
    });
  });

  it('string-label classifier: the class names come from the model, metadata.labels renames them', () => {
    const signature = sig(label('BYTES'), probabilities);
    const names = ['setosa', 'versicolor', 'virginica'];
    const fromModel = decidePrediction({ signature, task: 'classification', facts: facts({ label: names }) });
    expect(fromModel).toMatchObject({ kind: 'CLASS_LABEL', classes: names, labelValues: names, classSource: 'model' });
    const renamed = decidePrediction({
      signature,
      task: 'classification',
      facts: facts({ label: names }),
      metadata: { labels: ['a', 'b', 'c'] },
    });
    expect(renamed).toMatchObject({ classes: ['a', 'b', 'c'], labelValues: names, classSource: 'metadata' });
  });

  it('a string label with no class list in the file takes metadata.labels as its values', () => {
    const sut = decidePrediction({
      signature: sig(label('BYTES'), probabilities),
      task: 'classification',
      metadata: { labels: ['x', 'y', 'z'] },
    });
    expect(sut).toMatchObject({ classes: ['x', 'y', 'z'], labelValues: ['x', 'y', 'z'] });
  });

  it('scores only: argmax of the scores, classes by index, logits detected from the probe', () => {
    const logits: TensorSpec = { name: 'logits', datatype: 'FP32', shape: [-1, 10] };
    const sut = decidePrediction({
      signature: sig(logits),
      task: 'classification',
      facts: facts({}, { logits: false }),
    });
    expect(sut).toMatchObject({
      kind: 'CLASS_SCORES',
      output: 'logits',
      classes: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
      classSource: 'index',
      labelValues: null,
      scoresOutput: 'logits',
      scores: 'logits',
      scoresSource: 'detected',
    });
  });

  it('a declared score type wins over detection; without facts probabilities are assumed', () => {
    const signature = sig(probabilities);
    expect(
      decidePrediction({
        signature,
        task: 'classification',
        facts: facts({}, { probabilities: true }),
        override: { scores: 'logits' },
      }),
    ).toMatchObject({ scores: 'logits', scoresSource: 'declared' });
    expect(decidePrediction({ signature, task: 'classification' })).toMatchObject({
      scores: 'probabilities',
      scoresSource: 'assumed',
    });
  });

  it('multi-output: prefers the output named like probabilities among several score outputs', () => {
    const hidden: TensorSpec = { name: 'embedding', datatype: 'FP32', shape: [-1, 16] };
    const sut = decidePrediction({ signature: sig(hidden, probabilities), task: 'classification' });
    expect(sut).toMatchObject({ kind: 'CLASS_SCORES', output: 'probabilities', scoresOutput: 'probabilities' });
  });

  it('an override picks the compared output: scores instead of the label', () => {
    const sut = decidePrediction({
      signature: sig(label(), probabilities),
      task: 'classification',
      override: { output: 'probabilities' },
    });
    expect(sut).toMatchObject({ kind: 'CLASS_SCORES', output: 'probabilities', labelValues: null });
  });

  it('regression: a float [batch, 1] output', () => {
    const sut = decidePrediction({
      signature: sig({ name: 'variable', datatype: 'FP32', shape: [-1, 1] }),
      task: 'regression',
    });
    expect(sut).toEqual({
      kind: 'REGRESSION',
      output: 'variable',
      classes: null,
      classSource: null,
      labelValues: null,
      scoresOutput: null,
      scores: null,
      scoresSource: null,
    });
  });

  it('refuses an override naming an output the model lacks, naming it', () => {
    expect(() =>
      decidePrediction({
        signature: sig(label(), probabilities),
        task: 'classification',
        override: { output: 'proba' },
      }),
    ).toThrow(
      expect.objectContaining({
        code: 'INVALID_ARGUMENT',
        reason: 'PREDICTION_OUTPUT_UNKNOWN',
        message: expect.stringContaining('no output proba (its outputs: label, probabilities)'),
      }),
    );
  });

  it('refuses outputs that cannot carry the prediction and labels that do not fit', () => {
    const image: TensorSpec = { name: 'mask', datatype: 'FP32', shape: [-1, 3, 8, 8] };
    expect(() => decidePrediction({ signature: sig(image), task: 'classification' })).toThrow(/no class label output/);
    expect(() =>
      decidePrediction({ signature: sig(image, probabilities), task: 'classification', override: { output: 'mask' } }),
    ).toThrow(/neither a class label/);
    expect(() => decidePrediction({ signature: sig(probabilities), task: 'regression' })).toThrow(
      /no float output shaped/,
    );
    expect(() =>
      decidePrediction({ signature: sig(probabilities), task: 'classification', metadata: { labels: ['x', 'y'] } }),
    ).toThrow(/names 2 classes but the model's output probabilities scores 3/);
    expect(() =>
      decidePrediction({ signature: sig(probabilities), task: 'classification', metadata: { labels: 'x' } }),
    ).toThrow(/array of distinct class names/);
    expect(() =>
      decidePrediction({
        signature: sig(label(), probabilities),
        task: 'classification',
        facts: facts({ label: ['0', '1'] }),
      }),
    ).toThrow(/names 2 classes but its output probabilities scores 3/);
    expect(() =>
      decidePrediction({ signature: sig(label()), task: 'classification', override: { scores: 'logits' } }),
    ).toThrow(/no class scores output/);
  });

  it('a label-only classifier with no class list has unknown classes, refused where classes are needed', () => {
    const sut = decidePrediction({ signature: sig(label()), task: 'classification' });
    expect(sut).toMatchObject({ kind: 'CLASS_LABEL', classes: null, scoresOutput: null });
    expect(() => predictionClasses(sut)).toThrow(/classes are unknown/);
  });
});

describe(predictionOf.name, () => {
  it('uses the stored spec, else decides from the signature (versions registered before specs)', () => {
    const version = { signature: sig(label(), probabilities), metadata: {}, task: 'classification' as const };
    expect(predictionOf({ ...version, prediction: null }).output).toBe('label');
    const stored = decidePrediction({ ...version, override: { output: 'probabilities' } });
    expect(predictionOf({ ...version, prediction: stored })).toBe(stored);
    expect(isPredictionSpec(stored)).toBe(true);
    expect(isPredictionSpec({ kind: 'CLASS_LABEL' })).toBe(false);
  });
});
