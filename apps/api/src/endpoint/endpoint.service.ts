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
import { notFound } from '@fledge/errors';

import { API_SETTINGS, DB } from '../api.tokens.js';
import { type ApiSettings } from '../api.settings.js';
import { type CallContext } from '../auth/auth.decorators.js';
import { assertRole } from '../auth/role.js';
import { createAudited } from '../common/transaction.js';
import { type CreateEndpointInput } from './endpoint.types.js';

@Injectable()
export class EndpointService {
  constructor(
    @Inject(DB) private readonly db: PrismaClient,
    @Inject(EndpointRepository) private readonly endpoints: EndpointRepository,
    @Inject(AuditRepository) private readonly audit: AuditRepository,
    @Inject(API_SETTINGS) private readonly settings: ApiSettings,
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
}
