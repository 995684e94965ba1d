import { Inject, Injectable } from '@nestjs/common';
import {
  AlarmRepository,
  type AlarmFilter,
  type AlarmRecord,
  type Page,
  type PageResult,
  type PrismaClient,
} from '@fledge/db';

import { DB } from '../api.tokens.js';
import { EndpointService } from '../endpoint/endpoint.service.js';

export interface AlarmQuery {
  endpoint?: string | null;
  state?: AlarmRecord['state'] | null;
  source?: string | null;
}

/** Alarms across endpoints, for the console's alarm list. */
@Injectable()
export class AlarmService {
  constructor(
    @Inject(DB) private readonly db: PrismaClient,
    @Inject(AlarmRepository) private readonly alarms: AlarmRepository,
    @Inject(EndpointService) private readonly endpoints: EndpointService,
  ) {}

  async listAlarms(query: AlarmQuery, page: Page): Promise<PageResult<AlarmRecord>> {
    const filter: AlarmFilter = {};
    if (query.endpoint) filter.endpointId = (await this.endpoints.requireEndpoint(query.endpoint)).id;
    if (query.state) filter.state = query.state;
    if (query.source) filter.source = query.source;
    return this.alarms.list(this.db, filter, page);
  }
}
