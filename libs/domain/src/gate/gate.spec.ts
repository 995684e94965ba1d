import { describe, expect, it } from '@jest/globals';

import { ClassificationAccumulator, type ClassificationMetrics } from '../metrics/classification.js';
import { resolveRolloutPolicy } from '../policy/rollout-policy.js';
import { evaluateGate } from './gate.js';

function metrics(correct: number, total: number): ClassificationMetrics {
  const acc = new ClassificationAccumulator({ labels: ['0', '1'] });
  for (let i = 0; i < total; i++) {
    const truth = i % 2;
    const predicted = i < correct ? truth : 1 - truth;
    acc.addProbabilities(predicted === 0 ? [0.9, 0.1] : [0.1, 0.9], [truth]);
  }
  return acc.finalize();
}

describe(evaluateGate.name, () => {
  const policy = resolveRolloutPolicy({
    gate: { datasetVersionId: 'ds', minAccuracy: 0.8, maxAccuracyDrop: 0.02, perClassMinF1: { '1': 0.5 } },
  }).gate;

  it('passes when every rule holds and reports each rule', () => {
    const sut = evaluateGate(policy, metrics(90, 100), metrics(91, 100));
    expect(sut.passed).toBe(true);
    expect(sut.rules.map((r) => [r.rule, r.passed])).toEqual([
      ['minAccuracy', true],
      ['perClassMinF1.1', true],
      ['maxAccuracyDrop', true],
    ]);
  });

  it('fails on an absolute floor and on a regression versus the baseline, naming both', () => {
    const sut = evaluateGate(policy, metrics(75, 100), metrics(95, 100));
    expect(sut.passed).toBe(false);
    expect(sut.rules.filter((r) => !r.passed).map((r) => r.rule)).toEqual(['minAccuracy', 'maxAccuracyDrop']);
    expect(sut.summary).toContain('minAccuracy: 0.75 < 0.8');
    expect(sut.summary).toContain('drop 0.2 > 0.02');
  });

  it('skips relative rules without a baseline and the whole gate without a dataset', () => {
    expect(evaluateGate(policy, metrics(90, 100), null).rules.map((r) => r.rule)).toEqual([
      'minAccuracy',
      'perClassMinF1.1',
    ]);
    const none = evaluateGate(resolveRolloutPolicy({}).gate, null, null);
    expect(none).toMatchObject({ passed: true, skipped: true });
  });

  it('fails when the candidate has no evaluation, or a floor names an unknown class', () => {
    expect(evaluateGate(policy, null, null).passed).toBe(false);
    const unknown = resolveRolloutPolicy({ gate: { datasetVersionId: 'ds', perClassMinF1: { cat: 0.5 } } }).gate;
    expect(evaluateGate(unknown, metrics(90, 100), null).summary).toContain('class cat is not in the evaluation');
  });
});
