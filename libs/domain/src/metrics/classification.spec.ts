import { describe, expect, it } from '@jest/globals';

import { ClassificationAccumulator } from './classification.js';
import { compareMetrics } from './compare.js';
import { summarizeLatencies } from './percentiles.js';
import { RegressionAccumulator } from './regression.js';

// Six rows, three classes; hand-computed below.
//  row  truth  probabilities        predicted
//   0     0    [0.7, 0.2, 0.1]       0
//   1     0    [0.2, 0.5, 0.3]       1
//   2     1    [0.1, 0.8, 0.1]       1
//   3     1    [0.3, 0.3, 0.4]       2
//   4     2    [0.05,0.05,0.9]       2
//   5     2    [0.6, 0.1, 0.3]       0
const probabilities = [0.7, 0.2, 0.1, 0.2, 0.5, 0.3, 0.1, 0.8, 0.1, 0.3, 0.3, 0.4, 0.05, 0.05, 0.9, 0.6, 0.1, 0.3];
const truth = [0, 0, 1, 1, 2, 2];

describe(ClassificationAccumulator.name, () => {
  const build = () => new ClassificationAccumulator({ labels: ['a', 'b', 'c'], calibrationBins: 5, topK: [1, 2] });

  it('computes accuracy, F1, confusion, log-loss, ECE and top-k by hand', () => {
    const sut = build();
    sut.addProbabilities(probabilities, truth);
    const m = sut.finalize();

    expect(m.rows).toBe(6);
    expect(m.accuracy).toBeCloseTo(3 / 6, 12);
    expect(m.confusionMatrix).toEqual([
      [1, 1, 0],
      [0, 1, 1],
      [1, 0, 1],
    ]);
    // Each class: tp 1, predicted 2, actual 2 → precision = recall = f1 = 0.5.
    for (const c of m.perClass) {
      expect(c).toMatchObject({ precision: 0.5, recall: 0.5, f1: 0.5, support: 2 });
    }
    expect(m.macroF1).toBeCloseTo(0.5, 12);
    expect(m.weightedF1).toBeCloseTo(0.5, 12);
    const expectedLogLoss =
      -(Math.log(0.7) + Math.log(0.2) + Math.log(0.8) + Math.log(0.3) + Math.log(0.9) + Math.log(0.3)) / 6;
    expect(m.logLoss).toBeCloseTo(expectedLogLoss, 12);
    // Top-2 (rank of the truth, ties broken by index as argmax does): row 1's truth (0.2) is third,
    // row 3's truth (0.3) loses to 0.4 and to the earlier tie at index 0 → 4 of 6 rows hit.
    expect(m.topK['1']).toBeCloseTo(3 / 6, 12);
    expect(m.topK['2']).toBeCloseTo(4 / 6, 12);
    // Confidences 0.7,0.5,0.8,0.4,0.9,0.6 in 5 bins of 0.2: [0.4,0.6): 0.5(wrong),0.4(wrong) → |0-0.45|;
    // [0.6,0.8): 0.7(right),0.6(wrong) → |0.5-0.65|; [0.8,1]: 0.8(right),0.9(right) → |1-0.85|.
    const expectedEce = (2 / 6) * 0.45 + (2 / 6) * 0.15 + (2 / 6) * 0.15;
    expect(m.ece).toBeCloseTo(expectedEce, 12);
  });

  it('gives the same result whatever the batch split (incremental)', () => {
    const whole = build();
    whole.addProbabilities(probabilities, truth);
    const parts = build();
    parts.addProbabilities(probabilities.slice(0, 6), truth.slice(0, 2));
    parts.addProbabilities(probabilities.slice(6), truth.slice(2));
    expect(parts.finalize()).toEqual(whole.finalize());
  });

  it('counts the model’s own predicted class (its label output) even where it is not the argmax', () => {
    const sut = new ClassificationAccumulator({ labels: ['a', 'b'], calibrationBins: 2, topK: [1] });
    // row 0: scores favour b, the label says a (the truth); row 1: label b, truth b
    sut.addProbabilities([0.4, 0.6, 0.2, 0.8], [0, 1], [0, 1]);
    const m = sut.finalize();
    expect(m.accuracy).toBe(1);
    expect(m.confusionMatrix).toEqual([
      [1, 0],
      [0, 1],
    ]);
    expect(m.logLoss).toBeCloseTo(-(Math.log(0.4) + Math.log(0.8)) / 2);
    expect(m.calibration.map((b) => b.count)).toEqual([1, 1]);
    expect(() => sut.addProbabilities([0.5, 0.5], [0], [2])).toThrow(/predicted class index 2 out of range/);
  });

  it('refuses mismatched shapes and out-of-range classes', () => {
    const sut = build();
    expect(() => sut.addProbabilities([0.5, 0.5], [0])).toThrow(/expected 3 probabilities/);
    expect(() => sut.addProbabilities([0.5, 0.25, 0.25], [3])).toThrow(/out of range/);
  });

  it('compares two evaluations per metric and per class', () => {
    const a = build();
    a.addProbabilities(probabilities, truth);
    const b = build();
    b.addProbabilities([0.9, 0.05, 0.05, 0.1, 0.8, 0.1], [0, 1]);
    const cmp = compareMetrics(a.finalize(), b.finalize());
    const acc = cmp.metrics.find((d) => d.metric === 'accuracy')!;
    expect(acc).toMatchObject({ a: 0.5, b: 1, delta: 0.5, improved: true });
    const logLoss = cmp.metrics.find((d) => d.metric === 'logLoss')!;
    expect(logLoss.improved).toBe(true);
    expect(cmp.perClass.map((c) => c.label)).toEqual(['a', 'b', 'c']);
  });
});

describe(RegressionAccumulator.name, () => {
  it('computes MAE, RMSE and R² by hand, incrementally', () => {
    const sut = new RegressionAccumulator();
    sut.add([2.5, 0.0], [3, -0.5]);
    sut.add([2, 8], [2, 7]);
    const m = sut.finalize();
    // scikit-learn's documented example: MAE 0.5, MSE 0.375, R² 0.9486081370449679.
    expect(m.mae).toBeCloseTo(0.5, 12);
    expect(m.rmse).toBeCloseTo(Math.sqrt(0.375), 12);
    expect(m.r2).toBeCloseTo(0.9486081370449679, 12);
  });
});

describe(summarizeLatencies.name, () => {
  it('uses nearest-rank percentiles', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(summarizeLatencies(values)).toMatchObject({ p50Ms: 50, p95Ms: 95, p99Ms: 99, maxMs: 100, meanMs: 50.5 });
  });
});

describe('accumulator state (resume after a retried attempt)', () => {
  it('a classification accumulator rebuilt from JSON state continues to the same metrics', () => {
    const whole = new ClassificationAccumulator({ labels: ['a', 'b', 'c'], calibrationBins: 5, topK: [1, 2] });
    whole.addProbabilities(probabilities, truth);
    const first = new ClassificationAccumulator({ labels: ['a', 'b', 'c'], calibrationBins: 5, topK: [1, 2] });
    first.addProbabilities(probabilities.slice(0, 9), truth.slice(0, 3));
    const state = JSON.parse(JSON.stringify(first.toState()));
    const resumed = ClassificationAccumulator.fromState(state);
    expect(resumed.count).toBe(3);
    resumed.addProbabilities(probabilities.slice(9), truth.slice(3));
    expect(resumed.finalize()).toEqual(whole.finalize());
  });

  it('refuses a state whose arrays do not fit its labels', () => {
    const state = new ClassificationAccumulator({ labels: ['a', 'b'] }).toState();
    expect(() => ClassificationAccumulator.fromState({ ...state, confusion: [1, 2, 3] })).toThrow(/confusion has 3/);
  });

  it('a regression accumulator rebuilt from JSON state continues to the same metrics', () => {
    const whole = new RegressionAccumulator();
    whole.add([2.5, 0.0, 2, 8], [3, -0.5, 2, 7]);
    const first = new RegressionAccumulator();
    first.add([2.5, 0.0], [3, -0.5]);
    const resumed = RegressionAccumulator.fromState(JSON.parse(JSON.stringify(first.toState())));
    resumed.add([2, 8], [2, 7]);
    expect(resumed.finalize()).toEqual(whole.finalize());
  });
});
