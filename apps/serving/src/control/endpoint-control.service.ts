import { invalidArgument, notFound } from '@fledge/errors';
import { type InferencePoolStats, type TensorSpec } from '@fledge/inference';

import { type ServingMetrics } from '../metrics/serving-metrics.js';
import { mergeWindows, type WindowPartial, type WindowSnapshot } from '../metrics/windowed-stats.js';
import { type ApplyResult, type EndpointRegistry, type EndpointTable } from '../registry/endpoint-registry.js';
import {
  type EndpointSpec,
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

/** A variant's window partials in one process, by `variantKey`. */
export type VariantPartials = Record<string, WindowPartial>;

export const variantKey = (variant: string, modelVersion: string) => `${variant}\u0000${modelVersion}`;

/** This process's window partials of an endpoint's current variants. */
export function localPartials(
  metrics: ServingMetrics,
  registry: EndpointRegistry,
  name: string,
  fromMs: number,
  toMs: number,
): VariantPartials {
  const out: VariantPartials = {};
  for (const v of registry.get(name)?.variants ?? []) {
    const labels = { endpoint: name, variant: v.spec.variantName, modelVersion: v.spec.modelVersionId };
    out[variantKey(labels.variant, labels.modelVersion)] = metrics.variant(labels).window.partial(fromMs, toMs);
  }
  return out;
}

/** One data-plane process as the admin API reports it. */
export interface ProcessDescription {
  /** 0 is this (authoritative) process. */
  slot: number;
  /** How many times this slot's process was started. */
  incarnation: number;
  pid: number | undefined;
  state: 'starting' | 'serving' | 'exited';
  /** The `fledge-serving-process` header value of its answers. */
  tag: string;
}

/**
 * The other data-plane processes (multi-process mode): applies and deletes reach all of them or
 * none, and statistics merge theirs.
 */
export interface PeerProcesses {
  apply(
    name: string,
    spec: EndpointSpec,
    local: (gate: () => Promise<void>) => Promise<ApplyResult>,
  ): Promise<ApplyResult>;
  delete(name: string, local: () => Promise<void>): Promise<void>;
  partials(name: string, fromMs: number, toMs: number): Promise<VariantPartials[]>;
  describe(): ProcessDescription[];
}

/** Use cases of the admin API: apply/describe/delete endpoints and read windowed statistics. */
export class EndpointControlService {
  constructor(
    private readonly registry: EndpointRegistry,
    private readonly metrics: ServingMetrics,
    private readonly poolStats: () => InferencePoolStats,
    private readonly horizonSeconds: number,
    private readonly peers?: PeerProcesses,
  ) {}

  apply(name: string, body: unknown): Promise<ApplyResult> {
    const valid = validateEndpointName(name);
    const spec = parseEndpointSpec(body);
    if (!this.peers) return this.registry.apply(valid, spec);
    return this.peers.apply(valid, spec, (gate) => this.registry.apply(valid, spec, { gate }));
  }

  async delete(name: string): Promise<void> {
    if (!this.peers) return this.registry.delete(name);
    await this.peers.delete(name, () => this.registry.delete(name));
  }

  describe(name: string): EndpointDescription {
    return describeTable(this.table(name));
  }

  list(): EndpointDescription[] {
    return this.registry.list().map(describeTable);
  }

  runtime(): { pool: InferencePoolStats; endpoints: number; processes: ProcessDescription[] } {
    const self: ProcessDescription = { slot: 0, incarnation: 1, pid: process.pid, state: 'serving', tag: '0.1' };
    return {
      pool: this.poolStats(),
      endpoints: this.registry.list().length,
      processes: this.peers ? [self, ...this.peers.describe()] : [self],
    };
  }

  /** Windowed statistics, merged across every data-plane process (counters add, histograms merge). */
  async stats(name: string, window: StatsWindow): Promise<EndpointStats> {
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
    const own = localPartials(this.metrics, this.registry, name, from, to);
    const others = this.peers ? await this.peers.partials(name, from, to) : [];
    const variants = table.variants.map((v): VariantStats => {
      const key = variantKey(v.spec.variantName, v.spec.modelVersionId);
      const parts = [own, ...others].flatMap((p) => (p[key] ? [p[key]] : []));
      return {
        variant: v.spec.variantName,
        modelVersionId: v.spec.modelVersionId,
        modelName: v.spec.modelName,
        version: v.spec.version,
        role: v.spec.role,
        weight: v.spec.weight,
        ...mergeWindows(parts),
      };
    });
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
