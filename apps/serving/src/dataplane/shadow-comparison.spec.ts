import { describe, expect, it } from '@jest/globals';

import { compareOutputs, comparisonFor } from './shadow-comparison.js';

const t = (shape: number[], data: number[]) => ({
  name: 'y',
  datatype: 'FP32' as const,
  shape,
  data: Float32Array.from(data),
});

describe('compareOutputs', () => {
  it('counts rows whose argmax matches for classifiers', () => {
    expect(comparisonFor([2, 3])).toBe('argmax');
    const primary = t([2, 3], [0.1, 0.8, 0.1, 0.6, 0.3, 0.1]);
    const shadow = t([2, 3], [0.2, 0.7, 0.1, 0.2, 0.5, 0.3]);
    expect(compareOutputs('argmax', primary, shadow)).toEqual({ rows: 2, agreeing: 1 });
  });

  it('reports the mean absolute difference otherwise', () => {
    expect(comparisonFor([4, 1])).toBe('meanAbsDiff');
    expect(compareOutputs('meanAbsDiff', t([2, 1], [1, 2]), t([2, 1], [1.5, 1]))).toEqual({ rows: 2, absDiff: 0.75 });
  });

  it('treats a shape mismatch as disagreement instead of throwing', () => {
    expect(compareOutputs('argmax', t([1, 3], [1, 0, 0]), t([1, 2], [1, 0]))).toEqual({ rows: 1, agreeing: 0 });
  });
});
