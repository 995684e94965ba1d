import { Inject, Injectable } from '@nestjs/common';
import { assertResourceName, resolveEndpointOptions } from '@fledge/domain';
import {
  AuditRepository,
  EndpointRepository,
  type EndpointRecord,
  type Page,
  type PageResult,
  type PrismaClient,
} from '@fledge/db';
import { FledgeError, invalidArgument, notFound } from '@fledge/errors';
import { type HostingBackend, type HostingBackendKind } from '@fledge/hosting';

import { API_SETTINGS, DB, HOSTING_BACKENDS } from '../api.tokens.js';
import { type ApiSettings } from '../api.settings.js';
import { type CallContext } from '../auth/auth.decorators.js';
import { assertRole } from '../auth/role.js';
import { createAudited } from '../common/transaction.js';
import { type CreateEndpointInput, type EndpointLiveStatsObject } from './endpoint.types.js';

/** The hosting backends the API can read live statistics from, by endpoint backend. */
export type HostingBackends = Partial<Record<HostingBackendKind, HostingBackend>>;

export const MAX_LIVE_STATS_WINDOW_SECONDS = 3600;

@Injectable()
export class EndpointService {
  constructor(
    @Inject(DB) private readonly db: PrismaClient,
    @Inject(EndpointRepository) private readonly endpoints: EndpointRepository,
    @Inject(AuditRepository) private readonly audit: AuditRepository,
    @Inject(API_SETTINGS) private readonly settings: ApiSettings,
    @Inject(HOSTING_BACKENDS) private readonly hosting: HostingBackends,
  ) {}

  async createEndpoint(call: CallContext, input: CreateEndpointInput): Promise<EndpointRecord> {
    assertRole(call.actor, 'engineer', 'createEndpoint');
    const name = assertResourceName('endpoint', input.name);
    const backend = input.backend ?? 'local';
    // A SageMaker endpoint is refused here, before anything exists in AWS, when it lacks a role or image.
    const options = resolveEndpointOptions(backend, input.options, {
      sagemaker: this.settings.sagemakerDefaults,
    }) as unknown as Record<string, unknown>;
    return createAudited(this.db, this.audit, call, { type: 'endpoint', name }, (tx) =>
      this.endpoints.create(tx, { name, backend, options, description: (input.description ?? '').slice(0, 4000) }),
    );
  }

  findEndpoint(name: string): Promise<EndpointRecord | null> {
    return this.endpoints.findByName(this.db, name);
  }

  async requireEndpoint(name: string): Promise<EndpointRecord> {
    const endpoint = await this.endpoints.findByName(this.db, name);
    if (!endpoint) throw notFound(`endpoint ${name} does not exist`, { reason: 'ENDPOINT_NOT_FOUND' });
    return endpoint;
  }

  listEndpoints(page: Page): Promise<PageResult<EndpointRecord>> {
    return this.endpoints.list(this.db, page);
  }

  /** Per-variant traffic over the last `windowSeconds`, read from the endpoint's hosting backend. */
  async liveStats(endpoint: EndpointRecord, windowSeconds: number): Promise<EndpointLiveStatsObject> {
    if (!Number.isInteger(windowSeconds) || windowSeconds < 1 || windowSeconds > MAX_LIVE_STATS_WINDOW_SECONDS) {
      throw invalidArgument(`windowSeconds must be an integer between 1 and ${MAX_LIVE_STATS_WINDOW_SECONDS}`, {
        reason: 'WINDOW_INVALID',
        details: { field: 'windowSeconds' },
      });
    }
    const backend = this.hosting[endpoint.backend];
    if (!backend) {
      throw new FledgeError(
        'FAILED_PRECONDITION',
        `live statistics of ${endpoint.backend} endpoints are not available from this API`,
        { reason: 'LIVE_STATS_UNAVAILABLE', details: { backend: endpoint.backend } },
      );
    }
    const at = new Date();
    let stats: Awaited<ReturnType<HostingBackend['variantStats']>>;
    try {
      stats = await backend.variantStats(endpoint.name, { seconds: windowSeconds });
    } catch (error) {
      // An endpoint that was never deployed is unknown to its backend: it serves nothing yet.
      if (FledgeError.is(error, 'NOT_FOUND')) stats = [];
      else throw error;
    }
    return {
      at,
      windowSeconds,
      variants: stats.map((v) => ({
        variant: v.variant,
        role: v.role,
        weight: v.weight,
        requests: v.requests,
        requestsPerSecond: v.requests / windowSeconds,
        errors: v.errors,
        clientErrors: v.clientErrors ?? 0,
        errorRate: v.requests > 0 ? v.errors / v.requests : 0,
        p50Ms: v.p50Ms,
        p95Ms: v.p95Ms,
        p99Ms: v.p99Ms,
        shadowSamples: v.shadowSamples ?? 0,
        agreement: v.agreement ?? null,
      })),
    };
  }
}
