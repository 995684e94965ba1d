/**
 * A model's measured run time as `fixedMs + perRowMs × rows`: an exponentially weighted
 * least-squares line through the (rows, ms) of its recent runs, so it follows the model, the
 * machine and its load. Batching reads from it how many rows a run may stack.
 */
export class RunCost {
  private s0 = 0;
  private sx = 0;
  private sxx = 0;
  private sy = 0;
  private sxy = 0;
  private runs = 0;

  /** @param decay weight kept by the past at each new run (0.95: about the last 20 runs count). */
  constructor(private readonly decay = 0.95) {}

  observe(rows: number, ms: number): void {
    if (!(rows > 0) || !Number.isFinite(ms) || ms < 0) return;
    const d = this.decay;
    this.runs++;
    this.s0 = this.s0 * d + 1;
    this.sx = this.sx * d + rows;
    this.sxx = this.sxx * d + rows * rows;
    this.sy = this.sy * d + ms;
    this.sxy = this.sxy * d + rows * ms;
  }

  /** The fitted line; null until runs of different sizes have been seen. */
  estimate(): { fixedMs: number; perRowMs: number } | null {
    const det = this.s0 * this.sxx - this.sx * this.sx;
    // Runs all of about one size say nothing about the per-row part.
    if (this.runs < 2 || det <= 1e-9 * this.s0 * this.sxx) return null;
    const perRowMs = Math.max(0, (this.s0 * this.sxy - this.sx * this.sy) / det);
    const fixedMs = Math.max(0, (this.sy - perRowMs * this.sx) / this.s0);
    return { fixedMs, perRowMs };
  }

  /**
   * Rows worth stacking into one run: enough that the fixed cost is at most a tenth of the run
   * (more rows buy little throughput and only add latency), within [1, `max`]. `max` until the
   * line is known.
   */
  batchRows(max: number): number {
    const e = this.estimate();
    if (!e || e.perRowMs === 0) return max;
    return Math.min(max, Math.max(1, Math.ceil((9 * e.fixedMs) / e.perRowMs)));
  }
}
