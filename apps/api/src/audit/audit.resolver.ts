import { Args, ID, Query, Resolver } from '@nestjs/graphql';
import { auditCursor, AuditRepository, type PrismaClient } from '@fledge/db';
import { Inject } from '@nestjs/common';
import { FledgeError } from '@fledge/errors';

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
    @Args('actorId', { type: () => ID, nullable: true, description: 'Only what this API key did.' }) actorId?: string,
    @Args('actor', { nullable: true, description: 'Only what keys of this name did.' }) actorName?: string,
    @Args('action', { nullable: true, description: 'Only this action, e.g. model.create.' }) action?: string,
  ) {
    assertRole(call.actor, 'admin', 'auditEvents');
    const request = pageRequest(page);
    if (actorId !== undefined && actorId !== null && !/^[0-9a-f-]{36}$/.test(actorId)) {
      throw new FledgeError('INVALID_ARGUMENT', 'actorId must be an API key id', { reason: 'ACTOR_ID_INVALID' });
    }
    const filter = Object.fromEntries(
      Object.entries({ subjectType, subjectId, actorId, actorName, action }).filter(
        ([, v]) => v !== undefined && v !== null,
      ),
    );
    const { rows, totalCount } = await this.audit.list(this.db, filter, request);
    return toConnection(
      rows.map((row) => ({ ...row, actor: row.actorName })),
      request,
      totalCount,
      auditCursor,
    );
  }
}
