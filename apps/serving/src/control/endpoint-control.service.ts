import { invalidArgument, notFound } from '@fledge/errors';
import { type InferencePoolStats, type TensorSpec } from '@fledge/inference';

import { type ServingMetrics } from '../metrics/serving-metrics.js';
import { type WindowSnapshot } from '../metrics/windowed-stats.js';
import { type ApplyResult, type EndpointRegistry, type EndpointTable } from '../registry/endpoint-registry.js';
import {
  parseEndpointSpec,
  validateEndpointName,
  type VariantRole,
  type VariantSpec,
} from '../registry/endpoint-spec.js';

export interface VariantDescription extends VariantSpec {
  loaded: boolean;
  inputs: TensorSpec[];
  outputs: TensorSpec[];
  dynamicBatching: boolean;
  inFlight: number;
}

export interface EndpointDescription {
  name: string;
  generation: number;
  appliedAt: string;
  variants: VariantDescription[];
}

export interface VariantStats extends WindowSnapshot {
  variant: string;
  modelVersionId: string;
  modelName: string;
  version: number;
  role: VariantRole;
  weight: number;
}

export interface EndpointStats {
  endpoint: string;
  from: string;
  to: string;
  windowSeconds: number;
  variants: VariantStats[];
}

export interface StatsWindow {
  windowSeconds?: number;
  /** Epoch milliseconds or an ISO timestamp. */
  since?: string | number;
}

/** Use cases of the admin API: apply/describe/delete endpoints and read windowed statistics. */
export class EndpointControlService {
  constructor(
    private readonly registry: EndpointRegistry,
    private readonly metrics: ServingMetrics,
    private readonly poolStats: () => InferencePoolStats,
    private readonly horizonSeconds: number,
  ) {}

  apply(name: string, body: unknown): Promise<ApplyResult> {
    return this.registry.apply(validateEndpointName(name), parseEndpointSpec(body));
  }

  async delete(name: string): Promise<void> {
    await this.registry.delete(name);
  }

  describe(name: string): EndpointDescription {
    return describeTable(this.table(name));
  }

  list(): EndpointDescription[] {
    return this.registry.list().map(describeTable);
  }

  runtime(): { pool: InferencePoolStats; endpoints: number } {
    return { pool: this.poolStats(), endpoints: this.registry.list().length };
  }

  stats(name: string, window: StatsWindow): EndpointStats {
    const table = this.table(name);
    const to = Date.now();
    let from: number;
    if (window.since !== undefined) {
      from =
        typeof window.since === 'number' || /^\d+$/.test(window.since)
          ? Number(window.since)
          : Date.parse(window.since);
      if (!Number.isFinite(from))
        throw invalidArgument(`since ${String(window.since)} is not a time`, { reason: 'STATS_WINDOW_INVALID' });
    } else {
      const seconds = window.windowSeconds ?? 60;
      if (!(seconds > 0)) throw invalidArgument('windowSeconds must be positive', { reason: 'STATS_WINDOW_INVALID' });
      from = to - seconds * 1000;
    }
    from = Math.max(from, to - this.horizonSeconds * 1000);
    const variants = table.variants.map((v): VariantStats => ({
      variant: v.spec.variantName,
      modelVersionId: v.spec.modelVersionId,
      modelName: v.spec.modelName,
      version: v.spec.version,
      role: v.spec.role,
      weight: v.spec.weight,
      ...this.metrics
        .variant({ endpoint: name, variant: v.spec.variantName, modelVersion: v.spec.modelVersionId })
        .snapshot(from, to),
    }));
    return {
      endpoint: name,
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      windowSeconds: Math.round((to - from) / 1000),
      variants,
    };
  }

  private table(name: string): EndpointTable {
    const t = this.registry.get(name);
    if (!t) throw notFound(`endpoint ${name} does not exist`, { reason: 'ENDPOINT_NOT_FOUND' });
    return t;
  }
}

function describeTable(t: EndpointTable): EndpointDescription {
  return {
    name: t.name,
    generation: t.generation,
    appliedAt: t.appliedAt,
    variants: t.variants.map((v) => ({
      ...v.spec,
      loaded: true,
      inputs: v.loaded.signature.inputs,
      outputs: v.loaded.signature.outputs,
      dynamicBatching: v.loaded.batchable,
      inFlight: v.loaded.pending,
    })),
  };
}
