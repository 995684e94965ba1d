import { type LatencyDistribution } from '@fledge/domain';
import { FledgeError, isErrorCode } from '@fledge/errors';

import {
  type ApplyEndpointResult,
  type DesiredEndpoint,
  type EndpointState,
  type HostedVariant,
  type HostedVariantStats,
  type HostingBackend,
  type StatsWindow,
} from './hosting-backend.js';

export interface LocalHostingOptions {
  /** Base URL of the serving runtime's admin API, e.g. `http://127.0.0.1:8081`. */
  adminUrl: string;
  adminToken: string;
  /** Per call; an apply loads models, so it gets the longer budget. */
  timeoutMs?: number;
  applyTimeoutMs?: number;
  fetch?: typeof fetch;
}

interface RuntimeEndpoint {
  name: string;
  generation: number;
  appliedAt: string;
  variants: (HostedVariant & { batching?: unknown; loaded: boolean; dynamicBatching: boolean; inFlight: number })[];
}

interface RuntimeStats {
  variants: (Omit<HostedVariantStats, 'shadowSamples' | 'agreement' | 'shadowDrops' | 'clientErrors' | 'latency'> & {
    shadowSamples: number;
    agreement: number | null;
    shadowDrops: number;
    clientErrors: number;
    latency: LatencyDistribution;
  })[];
}

/** HostingBackend over Fledge's own serving runtime, driven through its admin API. */
export class LocalHostingBackend implements HostingBackend {
  readonly kind = 'local' as const;
  private readonly fetch: typeof fetch;

  constructor(private readonly options: LocalHostingOptions) {
    this.fetch = options.fetch ?? fetch;
  }

  async applyEndpoint(desired: DesiredEndpoint): Promise<ApplyEndpointResult> {
    const body = await this.call<{ changed: boolean; endpointState: RuntimeEndpoint }>(
      'PUT',
      `/admin/endpoints/${encodeURIComponent(desired.name)}`,
      { variants: desired.variants },
      this.options.applyTimeoutMs ?? 300_000,
    );
    return { changed: body.changed, state: toState(body.endpointState) };
  }

  async describeEndpoint(name: string): Promise<EndpointState | null> {
    try {
      return toState(await this.call<RuntimeEndpoint>('GET', `/admin/endpoints/${encodeURIComponent(name)}`));
    } catch (error) {
      if (FledgeError.is(error, 'NOT_FOUND')) return null;
      throw error;
    }
  }

  async variantStats(name: string, window: StatsWindow): Promise<HostedVariantStats[]> {
    const query = 'since' in window ? `since=${window.since.getTime()}` : `windowSeconds=${window.seconds}`;
    const stats = await this.call<RuntimeStats>('GET', `/admin/endpoints/${encodeURIComponent(name)}/stats?${query}`);
    return stats.variants.map((v) => ({
      variant: v.variant,
      role: v.role,
      weight: v.weight,
      modelVersionId: v.modelVersionId,
      requests: v.requests,
      errors: v.errors,
      clientErrors: v.clientErrors,
      errorsByKind: v.errorsByKind,
      latency: v.latency,
      source: 'local',
      p50Ms: v.p50Ms,
      p95Ms: v.p95Ms,
      p99Ms: v.p99Ms,
      maxMs: v.maxMs,
      shadowSamples: v.shadowSamples,
      agreement: v.agreement,
      shadowDrops: v.shadowDrops,
      meanAbsDiff: v.meanAbsDiff,
    }));
  }

  async deleteEndpoint(name: string): Promise<void> {
    try {
      await this.call('DELETE', `/admin/endpoints/${encodeURIComponent(name)}`);
    } catch (error) {
      if (!FledgeError.is(error, 'NOT_FOUND')) throw error;
    }
  }

  private async call<T>(method: string, path: string, body?: unknown, timeoutMs?: number): Promise<T> {
    let res: Response;
    try {
      res = await this.fetch(new URL(path, this.options.adminUrl), {
        method,
        headers: { authorization: `Bearer ${this.options.adminToken}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs ?? this.options.timeoutMs ?? 30_000),
      });
    } catch (error) {
      throw new FledgeError(
        'UNAVAILABLE',
        `the serving runtime did not answer ${method} ${path}: ${(error as Error).message}`,
        {
          reason: 'SERVING_UNREACHABLE',
          cause: error,
        },
      );
    }
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : {};
    } catch {
      parsed = { error: text.slice(0, 500) };
    }
    if (!res.ok) {
      const err = parsed as { error?: string; code?: string; reason?: string };
      const code = isErrorCode(err.code) ? err.code : res.status >= 500 ? 'UNAVAILABLE' : 'INVALID_ARGUMENT';
      throw new FledgeError(code, `serving runtime: ${err.error ?? `HTTP ${res.status}`}`, {
        reason: err.reason ?? `SERVING_HTTP_${res.status}`,
        details: { status: res.status },
      });
    }
    return parsed as T;
  }
}

function toState(e: RuntimeEndpoint): EndpointState {
  return {
    name: e.name,
    backend: 'local',
    status: 'InService',
    generation: e.generation,
    updatedAt: e.appliedAt,
    variants: e.variants.map((v) => ({
      variantName: v.variantName,
      modelVersionId: v.modelVersionId,
      modelName: v.modelName,
      version: v.version,
      artifactUri: v.artifactUri,
      sha256: v.sha256,
      role: v.role,
      weight: v.weight,
      shadowSampleRate: v.shadowSampleRate,
      inputs: v.inputs,
      outputs: v.outputs,
    })),
  };
}
