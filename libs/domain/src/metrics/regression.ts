export interface RegressionMetrics {
  kind: 'regression';
  rows: number;
  mae: number;
  rmse: number;
  /** Coefficient of determination; 0 when the targets have no variance. */
  r2: number;
}

/** Everything a {@link RegressionAccumulator} has summed, as plain JSON (see ClassificationAccumulatorState). */
export interface RegressionAccumulatorState {
  kind: 'regression';
  rows: number;
  absErrorSum: number;
  squaredErrorSum: number;
  mean: number;
  m2: number;
}

/** Incremental regression metrics (Welford for the target variance, so one pass suffices). */
export class RegressionAccumulator {
  private rows = 0;
  private absErrorSum = 0;
  private squaredErrorSum = 0;
  private mean = 0;
  private m2 = 0;

  get count(): number {
    return this.rows;
  }

  toState(): RegressionAccumulatorState {
    const { rows, absErrorSum, squaredErrorSum, mean, m2 } = this;
    return { kind: 'regression', rows, absErrorSum, squaredErrorSum, mean, m2 };
  }

  static fromState(state: RegressionAccumulatorState): RegressionAccumulator {
    const sut = new RegressionAccumulator();
    sut.rows = state.rows;
    sut.absErrorSum = state.absErrorSum;
    sut.squaredErrorSum = state.squaredErrorSum;
    sut.mean = state.mean;
    sut.m2 = state.m2;
    return sut;
  }

  add(predicted: ArrayLike<number>, actual: ArrayLike<number>): void {
    if (predicted.length !== actual.length) {
      throw new RangeError(`expected ${actual.length} predictions, got ${predicted.length}`);
    }
    for (let i = 0; i < actual.length; i++) {
      const y = actual[i];
      const error = predicted[i] - y;
      this.absErrorSum += Math.abs(error);
      this.squaredErrorSum += error * error;
      this.rows++;
      const delta = y - this.mean;
      this.mean += delta / this.rows;
      this.m2 += delta * (y - this.mean);
    }
  }

  finalize(): RegressionMetrics {
    const n = this.rows;
    if (n === 0) return { kind: 'regression', rows: 0, mae: 0, rmse: 0, r2: 0 };
    return {
      kind: 'regression',
      rows: n,
      mae: this.absErrorSum / n,
      rmse: Math.sqrt(this.squaredErrorSum / n),
      r2: this.m2 > 0 ? 1 - this.squaredErrorSum / this.m2 : 0,
    };
  }
}
