import { Inject, Injectable } from '@nestjs/common';
import { type ApiKeyRecord, type Role } from '@fledge/domain';
import { ApiKeyRepository, AuditRepository, type PrismaClient } from '@fledge/db';
import { FledgeError, notFound } from '@fledge/errors';

import { DB } from '../api.tokens.js';
import { generateApiKey } from '../auth/api-key-secret.js';
import { type CallContext } from '../auth/auth.decorators.js';
import { AuthService } from '../auth/auth.service.js';
import { assertRole } from '../auth/role.js';
import { inTransaction } from '../common/transaction.js';

const publicView = (k: ApiKeyRecord) => ({
  id: k.id,
  name: k.name,
  role: k.role,
  lookupId: k.lookupId,
  revokedAt: k.revokedAt,
});

@Injectable()
export class ApiKeyService {
  constructor(
    @Inject(DB) private readonly db: PrismaClient,
    @Inject(ApiKeyRepository) private readonly keys: ApiKeyRepository,
    @Inject(AuditRepository) private readonly audit: AuditRepository,
    @Inject(AuthService) private readonly auth: AuthService,
  ) {}

  /** Creates a key; the whole secret is returned once and only its hash is kept. */
  async create(call: CallContext, name: string, role: Role): Promise<{ apiKey: ApiKeyRecord; secret: string }> {
    assertRole(call.actor, 'admin', 'createApiKey');
    const trimmed = name.trim();
    if (trimmed.length < 1 || trimmed.length > 100) {
      throw new FledgeError('INVALID_ARGUMENT', 'an API key name has 1 to 100 characters', { reason: 'NAME_INVALID' });
    }
    const generated = await generateApiKey();
    const apiKey = await inTransaction(this.db, async (tx) => {
      const created = await this.keys.create(tx, {
        name: trimmed,
        lookupId: generated.lookupId,
        secretHash: generated.hash,
        role,
        createdBy: call.actor.name,
      });
      await this.audit.record(tx, {
        actor: call.actor,
        action: 'api_key.create',
        subjectType: 'api_key',
        subjectId: created.id,
        after: publicView(created),
        requestId: call.requestId,
      });
      return created;
    });
    return { apiKey, secret: generated.secret };
  }

  async revoke(call: CallContext, id: string): Promise<ApiKeyRecord> {
    assertRole(call.actor, 'admin', 'revokeApiKey');
    const revoked = await inTransaction(this.db, async (tx) => {
      const existing = /^[0-9a-f-]{36}$/.test(id) ? await this.keys.findById(tx, id) : null;
      if (!existing) throw notFound(`API key ${id} does not exist`, { reason: 'API_KEY_NOT_FOUND' });
      if (existing.revokedAt) return existing;
      const updated = await this.keys.revoke(tx, id, new Date());
      await this.audit.record(tx, {
        actor: call.actor,
        action: 'api_key.revoke',
        subjectType: 'api_key',
        subjectId: id,
        before: publicView(existing),
        after: publicView(updated),
        requestId: call.requestId,
      });
      return updated;
    });
    this.auth.forget(id);
    return revoked;
  }

  async list(call: CallContext): Promise<ApiKeyRecord[]> {
    assertRole(call.actor, 'admin', 'apiKeys');
    return this.keys.list(this.db);
  }
}
