import { FledgeError, httpStatusOf } from '@fledge/errors';
import { AggregatorRegistry, Counter, Gauge, Histogram, Registry } from 'prom-client';

import { type ErrorKind, isClientErrorKind, type WindowSnapshot, WindowedStats } from './windowed-stats.js';

export interface VariantLabels {
  endpoint: string;
  variant: string;
  modelVersion: string;
}

const LATENCY_BUCKETS = [0.0005, 0.001, 0.002, 0.003, 0.005, 0.0075, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];
const BATCH_BUCKETS = [1, 2, 4, 8, 16, 32, 64, 128];

/** The metric handles of one endpoint variant: Prometheus children resolved once, plus the window ring. */
export class VariantMetrics {
  readonly window: WindowedStats;
  private readonly byCode = new Map<number, Counter.Internal>();
  private readonly byKind = new Map<ErrorKind, Counter.Internal>();
  private readonly latency: Histogram.Internal<string>;
  private readonly queue: Histogram.Internal<string>;
  private readonly batch: Histogram.Internal<string>;

  constructor(
    private readonly families: MetricFamilies,
    readonly labels: VariantLabels,
    horizonSeconds: number,
  ) {
    this.window = new WindowedStats(horizonSeconds);
    const l = this.promLabels();
    this.latency = families.latency.labels(l);
    this.queue = families.queue.labels(l);
    this.batch = families.batch.labels(l);
  }

  private promLabels(): Record<string, string> {
    return { endpoint: this.labels.endpoint, variant: this.labels.variant, model_version: this.labels.modelVersion };
  }

  request(status: number, latencyMs: number, error?: ErrorKind): void {
    let counter = this.byCode.get(status);
    if (!counter) {
      counter = this.families.requests.labels({ ...this.promLabels(), code: String(status) });
      this.byCode.set(status, counter);
    }
    counter.inc();
    if (error) {
      let errors = this.byKind.get(error);
      if (!errors) {
        const family = isClientErrorKind(error) ? this.families.clientErrors : this.families.errors;
        errors = family.labels({ ...this.promLabels(), kind: error });
        this.byKind.set(error, errors);
      }
      errors.inc();
    } else {
      this.latency.observe(latencyMs / 1000);
    }
    this.window.recordRequest(latencyMs, error);
  }

  queued(ms: number): void {
    this.queue.observe(ms / 1000);
    this.window.recordQueue(ms);
  }

  batchRun(rows: number): void {
    this.batch.observe(rows);
    this.window.recordBatch(rows);
  }

  shadow(result: { rows: number; agreeing?: number; absDiff?: number } | 'dropped' | 'error'): void {
    const l = this.promLabels();
    if (result === 'dropped') this.families.shadowDrops.labels(l).inc();
    else if (result === 'error') this.families.shadowErrors.labels(l).inc();
    else {
      this.families.shadowSamples.labels(l).inc(result.rows);
      if (result.agreeing !== undefined) this.families.shadowAgreements.labels(l).inc(result.agreeing);
      if (result.absDiff !== undefined) this.families.shadowAbsDiff.labels(l).set(result.absDiff);
    }
    this.window.recordShadow(result);
  }

  snapshot(fromMs: number, toMs?: number): WindowSnapshot {
    return this.window.snapshot(fromMs, toMs);
  }
}

interface MetricFamilies {
  requests: Counter<string>;
  errors: Counter<string>;
  clientErrors: Counter<string>;
  latency: Histogram<string>;
  queue: Histogram<string>;
  batch: Histogram<string>;
  shadowSamples: Counter<string>;
  shadowAgreements: Counter<string>;
  shadowAbsDiff: Gauge<string>;
  shadowDrops: Counter<string>;
  shadowErrors: Counter<string>;
}

/** Prometheus families (own registry, standard names) and the per-variant handles. */
export class ServingMetrics {
  readonly registry = new Registry();
  private readonly families: MetricFamilies;
  private readonly variants = new Map<string, VariantMetrics>();
  private readonly refusals: Counter<string>;
  private aggregated: (() => Promise<string>) | undefined;

  constructor(private readonly horizonSeconds = 600) {
    const registers = [this.registry];
    const variantLabels = ['endpoint', 'variant', 'model_version'] as const;
    this.families = {
      requests: new Counter({
        name: 'fledge_serving_requests_total',
        help: 'Inference requests answered, by endpoint, variant, model version and HTTP status code.',
        labelNames: [...variantLabels, 'code'],
        registers,
      }),
      errors: new Counter({
        name: 'fledge_serving_errors_total',
        help: 'Server-side failures of inference requests (5xx) by kind (queue_full, model_error, unavailable, internal).',
        labelNames: [...variantLabels, 'kind'],
        registers,
      }),
      clientErrors: new Counter({
        name: 'fledge_serving_client_errors_total',
        help: 'Inference requests refused for what the client sent (4xx) by kind (invalid_input).',
        labelNames: [...variantLabels, 'kind'],
        registers,
      }),
      latency: new Histogram({
        name: 'fledge_serving_request_duration_seconds',
        help: 'Latency of successful inference requests, from the request received to the response ready.',
        labelNames: variantLabels,
        buckets: LATENCY_BUCKETS,
        registers,
      }),
      queue: new Histogram({
        name: 'fledge_serving_queue_duration_seconds',
        help: 'Time requests waited in the dynamic batching queue.',
        labelNames: variantLabels,
        buckets: LATENCY_BUCKETS,
        registers,
      }),
      batch: new Histogram({
        name: 'fledge_serving_batch_size',
        help: 'Rows per model run (dynamic batching).',
        labelNames: variantLabels,
        buckets: BATCH_BUCKETS,
        registers,
      }),
      shadowSamples: new Counter({
        name: 'fledge_serving_shadow_samples_total',
        help: 'Rows mirrored to a shadow variant and compared with the primary.',
        labelNames: variantLabels,
        registers,
      }),
      shadowAgreements: new Counter({
        name: 'fledge_serving_shadow_agreements_total',
        help: 'Mirrored rows whose argmax matched the primary (classifiers).',
        labelNames: variantLabels,
        registers,
      }),
      shadowAbsDiff: new Gauge({
        name: 'fledge_serving_shadow_mean_abs_diff',
        help: 'Mean absolute difference to the primary of the last mirrored request (non-classifiers).',
        labelNames: variantLabels,
        // Across data-plane processes: the mean of each process's last value, not their sum.
        aggregator: 'average',
        registers,
      }),
      shadowDrops: new Counter({
        name: 'fledge_serving_shadow_dropped_total',
        help: 'Mirrored requests dropped because the shadow queue was full.',
        labelNames: variantLabels,
        registers,
      }),
      shadowErrors: new Counter({
        name: 'fledge_serving_shadow_errors_total',
        help: 'Mirrored requests the shadow variant failed to answer.',
        labelNames: variantLabels,
        registers,
      }),
    };
    // No endpoint label: the name comes from the caller's URL and would let anyone grow the series.
    this.refusals = new Counter({
      name: 'fledge_serving_refused_total',
      help: 'Requests refused before any variant was chosen (bad path, unknown endpoint, body too large or too slow, restoring), by HTTP status and reason.',
      labelNames: ['code', 'reason'],
      registers,
    });
  }

  /** Counts a data-plane request refused before routing (no variant to charge it to). */
  refused(error: unknown): void {
    const fledge = error instanceof FledgeError ? error : undefined;
    this.refusals.inc({
      code: String(fledge ? httpStatusOf(fledge.code) : 500),
      reason: fledge?.reason ?? 'INTERNAL',
    });
  }

  /** The same handle for the same endpoint, variant and model version, across configuration swaps. */
  variant(labels: VariantLabels): VariantMetrics {
    const id = `${labels.endpoint}\u0000${labels.variant}\u0000${labels.modelVersion}`;
    let m = this.variants.get(id);
    if (!m) {
      m = new VariantMetrics(this.families, labels, this.horizonSeconds);
      this.variants.set(id, m);
    }
    return m;
  }

  variantsOf(endpoint: string): VariantMetrics[] {
    return [...this.variants.values()].filter((v) => v.labels.endpoint === endpoint);
  }

  /** Multi-process mode: `/metrics` of any process renders every process's metrics, merged. */
  renderWith(render: () => Promise<string>): void {
    this.aggregated = render;
  }

  render(): Promise<string> {
    return this.aggregated ? this.aggregated() : this.registry.metrics();
  }

  /** This process's metrics as plain data (what another process merges). */
  json(): Promise<object[]> {
    return this.registry.getMetricsAsJSON();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}

/** Several processes' metrics (each from `json()`) as one exposition: counters and histograms add up. */
export function mergeMetrics(perProcess: object[][]): Promise<string> {
  return AggregatorRegistry.aggregate(perProcess).metrics();
}
