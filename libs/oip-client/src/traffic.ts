import { type InferResult, type OipClient, type OipTensor } from './oip-client.js';

export interface TrafficOptions {
  endpoint: string;
  /** Requests per second across all connections (open loop: arrivals do not wait for answers). */
  ratePerSecond: number;
  /** Upper bound on requests in flight; arrivals beyond it are counted as `dropped`, not sent late. */
  maxInFlight?: number;
  /** Builds the inputs of request number `i`. */
  inputs: (i: number) => OipTensor[];
}

export interface TrafficReport {
  sent: number;
  ok: number;
  /** Answers with a non-200 status, by status. */
  failed: Record<string, number>;
  /** Connections that broke before an answer. */
  broken: number;
  dropped: number;
  byVariant: Record<string, number>;
  lastError: string | null;
}

/**
 * Sends inference requests at a steady rate until stopped, counting every outcome, so a test or a
 * demo can prove that no request failed while the control plane changed the endpoint.
 */
export class TrafficGenerator {
  private readonly report: TrafficReport = {
    sent: 0,
    ok: 0,
    failed: {},
    broken: 0,
    dropped: 0,
    byVariant: {},
    lastError: null,
  };
  private inFlight = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | null = null;
  private count = 0;
  private waiters: { answered: number; resolve: () => void }[] = [];

  constructor(
    private readonly client: OipClient,
    private readonly options: TrafficOptions,
  ) {}

  start(): this {
    const tickMs = 10;
    const perTick = (this.options.ratePerSecond * tickMs) / 1000;
    let budget = 0;
    this.timer = setInterval(() => {
      budget += perTick;
      for (; budget >= 1; budget--) this.send();
    }, tickMs);
    return this;
  }

  private send(): void {
    if (this.inFlight.size >= (this.options.maxInFlight ?? 256)) {
      this.report.dropped++;
      return;
    }
    const i = this.count++;
    this.report.sent++;
    const done: Promise<void> = this.client
      .infer(this.options.endpoint, this.options.inputs(i))
      .then(
        (result: InferResult) => {
          if (result.status === 200) {
            this.report.ok++;
            const variant = result.variant ?? 'unknown';
            this.report.byVariant[variant] = (this.report.byVariant[variant] ?? 0) + 1;
          } else {
            this.report.failed[result.status] = (this.report.failed[result.status] ?? 0) + 1;
            this.report.lastError = result.error;
          }
        },
        (error: unknown) => {
          this.report.broken++;
          this.report.lastError = (error as Error).message;
        },
      )
      .finally(() => {
        this.inFlight.delete(done);
        this.wake();
      });
    this.inFlight.add(done);
  }

  /** Requests that got an answer or broke: everything sent but the dropped ones. */
  private answeredSoFar(): number {
    return this.report.ok + TrafficGenerator.failures(this.report) - this.report.dropped;
  }

  private wake(): void {
    const answered = this.answeredSoFar();
    this.waiters = this.waiters.filter((w) => (w.answered <= answered ? (w.resolve(), false) : true));
  }

  /**
   * Resolves once `more` further requests have been answered (or broke), counting from now: a test
   * waits on traffic that really flowed instead of sleeping.
   */
  answered(more: number): Promise<void> {
    const target = this.answeredSoFar() + more;
    return new Promise((resolve) => {
      this.waiters.push({ answered: target, resolve });
      this.wake();
    });
  }

  /** A copy of the counts so far. */
  snapshot(): TrafficReport {
    return structuredClone(this.report);
  }

  /** Stops sending and waits for the requests in flight. */
  async stop(): Promise<TrafficReport> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await Promise.all(this.inFlight);
    return this.snapshot();
  }

  /** Requests that did not succeed (failed, broken or dropped). */
  static failures(report: TrafficReport): number {
    return Object.values(report.failed).reduce((a, b) => a + b, 0) + report.broken + report.dropped;
  }
}
