import { describe, expect, it } from '@jest/globals';

import { type ModelSignature } from '../registry/registry.types.js';
import { modelClasses, scoreOutput } from './model-classes.js';

const digits: ModelSignature = {
  inputs: [{ name: 'pixels', datatype: 'FP32', shape: [-1, 784] }],
  outputs: [
    { name: 'label', datatype: 'INT64', shape: [-1] },
    { name: 'probabilities', datatype: 'FP32', shape: [-1, 10] },
  ],
};

describe(modelClasses.name, () => {
  it('uses metadata.labels when given, in output order', () => {
    const labels = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'];
    expect(modelClasses(digits, { labels })).toEqual(labels);
  });

  it('falls back to the class indices of the score output', () => {
    expect(modelClasses(digits, {})).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  });

  it('refuses labels that do not fit the output', () => {
    expect(() => modelClasses(digits, { labels: ['x', 'y'] })).toThrow(
      /names 2 classes but the output probabilities scores 10/,
    );
    expect(() => modelClasses(digits, { labels: 'x' })).toThrow(/array of distinct class names/);
  });
});

describe(scoreOutput.name, () => {
  it('picks the probabilities output of a classifier and a [batch, 1] output of a regressor', () => {
    expect(scoreOutput(digits, 'classification')).toEqual({ name: 'probabilities', width: 10 });
    const regressor: ModelSignature = { inputs: [], outputs: [{ name: 'y', datatype: 'FP32', shape: [-1, 1] }] };
    expect(scoreOutput(regressor, 'regression')).toEqual({ name: 'y', width: 1 });
    expect(() => scoreOutput(regressor, 'classification')).toThrow(/no float output shaped \[batch, classes\]/);
  });
});
