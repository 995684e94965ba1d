import { Args, Query, Resolver } from '@nestjs/graphql';
import { auditCursor, AuditRepository, type PrismaClient } from '@fledge/db';
import { Inject } from '@nestjs/common';

import { DB } from '../api.tokens.js';
import { Caller, type CallContext } from '../auth/auth.decorators.js';
import { assertRole } from '../auth/role.js';
import { PageArgs, pageRequest, toConnection } from '../common/connection.js';
import { AuditEventConnection, AuditEventObject } from './audit.types.js';

@Resolver(() => AuditEventObject)
export class AuditResolver {
  constructor(
    @Inject(DB) private readonly db: PrismaClient,
    @Inject(AuditRepository) private readonly audit: AuditRepository,
  ) {}

  @Query(() => AuditEventConnection, { description: 'Audit trail, newest first (admin).' })
  async auditEvents(
    @Caller() call: CallContext,
    @Args() page: PageArgs,
    @Args('subjectType', { nullable: true }) subjectType?: string,
    @Args('subjectId', { nullable: true }) subjectId?: string,
    @Args('actor', { nullable: true }) actor?: string,
  ) {
    assertRole(call.actor, 'admin', 'auditEvents');
    const request = pageRequest(page);
    const filter = Object.fromEntries(
      Object.entries({ subjectType, subjectId, actor }).filter(([, v]) => v !== undefined && v !== null),
    );
    const { rows, totalCount } = await this.audit.list(this.db, filter, request);
    return toConnection(rows, request, totalCount, auditCursor);
  }
}
