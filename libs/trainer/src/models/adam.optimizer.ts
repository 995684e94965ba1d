import { exp, max, sqrt } from '../math.util.js';

/** Adam over a fixed set of Float32Array parameters, with optional L2 weight decay. */
export class AdamOptimizer {
  private readonly m: Float64Array[];
  private readonly v: Float64Array[];
  private step = 0;
  private readonly beta1 = 0.9;
  private readonly beta2 = 0.999;
  private readonly epsilon = 1e-8;
  private readonly params: readonly Float32Array[];
  private readonly learningRate: number;
  private readonly weightDecay: number;

  constructor(params: readonly Float32Array[], learningRate: number, weightDecay = 0) {
    this.params = params;
    this.learningRate = learningRate;
    this.weightDecay = weightDecay;
    this.m = params.map((p) => new Float64Array(p.length));
    this.v = params.map((p) => new Float64Array(p.length));
  }

  /** Applies one update; `grads[i]` matches `params[i]` and is left untouched. */
  update(grads: readonly Float64Array[]): void {
    this.step++;
    // locals, not fields, in the hot loop: V8 keeps them in registers
    const { beta1, beta2, epsilon, learningRate, weightDecay } = this;
    const c1 = 1 - beta1 ** this.step;
    const c2 = 1 - beta2 ** this.step;
    for (let p = 0; p < this.params.length; p++) {
      const param = this.params[p];
      const grad = grads[p];
      const m = this.m[p];
      const v = this.v[p];
      const n = param.length;
      for (let i = 0; i < n; i++) {
        const g = grad[i] + weightDecay * param[i];
        const mi = beta1 * m[i] + (1 - beta1) * g;
        const vi = beta2 * v[i] + (1 - beta2) * g * g;
        m[i] = mi;
        v[i] = vi;
        param[i] -= (learningRate * (mi / c1)) / (sqrt(vi / c2) + epsilon);
      }
    }
  }
}

/** Softmax of `logits[from..from+k)` written into `out[from..)`, numerically stable. */
export function softmaxInto(logits: ArrayLike<number>, out: Float64Array, from: number, k: number): void {
  let top = -Infinity;
  for (let j = 0; j < k; j++) top = max(top, logits[from + j]);
  let sum = 0;
  for (let j = 0; j < k; j++) {
    const e = exp(logits[from + j] - top);
    out[from + j] = e;
    sum += e;
  }
  for (let j = 0; j < k; j++) out[from + j] /= sum;
}
