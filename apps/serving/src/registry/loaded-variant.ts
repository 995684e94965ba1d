import { type PredictionSpec } from '@fledge/domain';
import { hasDynamicBatchDim, type ModelRuntime, type ModelSignature } from '@fledge/inference';

import { defaultBatching, DynamicBatcher } from '../dataplane/dynamic-batcher.js';
import { predictionFromSignature } from '../dataplane/shadow-comparison.js';
import { type VariantMetrics } from '../metrics/serving-metrics.js';
import { type VariantSpec } from './endpoint-spec.js';

/** Identity of what a variant loads: equal identities share one LoadedVariant across applies. */
export function loadIdentity(spec: VariantSpec): string {
  return JSON.stringify([
    spec.variantName,
    spec.modelVersionId,
    spec.sha256,
    spec.batching,
    spec.prediction,
    spec.agreementTolerance,
    spec.role === 'shadow',
  ]);
}

/**
 * A variant's model as loaded for an endpoint: the session key, its signature, the batching
 * queue and the metrics. Counts requests in flight so a configuration swap can drain it.
 */
export class LoadedVariant {
  readonly batcher: DynamicBatcher;
  readonly batchable: boolean;
  /** What this variant predicts; null when its outputs fit no layout (its shadow agreement is then not measured). */
  readonly prediction: PredictionSpec | null;
  private inFlight = 0;
  private drainWaiters: (() => void)[] = [];

  constructor(
    readonly identity: string,
    readonly endpoint: string,
    readonly spec: VariantSpec,
    readonly modelKey: string,
    readonly signature: ModelSignature,
    readonly metrics: VariantMetrics,
    runtime: ModelRuntime,
  ) {
    this.batchable = hasDynamicBatchDim(signature);
    this.prediction = spec.prediction ?? predictionFromSignature(signature);
    const batching = { ...defaultBatching, ...spec.batching };
    this.batcher = new DynamicBatcher(
      runtime,
      modelKey,
      { ...batching, maxBatchSize: this.batchable ? batching.maxBatchSize : 1 },
      { modelName: endpoint, modelVersion: String(spec.version), prediction: this.prediction },
      spec.role === 'shadow' ? 'background' : 'normal',
      { onRun: (rows) => metrics.batchRun(rows) },
    );
  }

  get pending(): number {
    return this.inFlight;
  }

  acquire(): void {
    this.inFlight++;
  }

  release(): void {
    if (--this.inFlight === 0 && this.drainWaiters.length > 0) {
      const waiters = this.drainWaiters;
      this.drainWaiters = [];
      for (const w of waiters) w();
    }
  }

  /** Resolves once no request holds this variant (or after `timeoutMs`, returning false). */
  drained(timeoutMs: number): Promise<boolean> {
    if (this.inFlight === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.drainWaiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }
}
