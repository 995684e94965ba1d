import { PRODUCTION_ALIAS, promotionMovesAlias, type AuditActor, type ModelAliasRecord } from '@fledge/domain';
import { notFound } from '@fledge/errors';

import { AuditRepository } from './api-key.repository.js';
import { type DbClient } from './db-client.js';
import { ModelAliasRepository } from './model.repository.js';

export interface AliasMove {
  modelId: string;
  alias: string;
  versionId: string;
  /** The endpoint that holds the alias after the move; null for a move by hand. */
  endpointId: string | null;
  actor: AuditActor;
  requestId: string | null;
  /** Why it moved (e.g. the rollout and its endpoint), kept in the audit row. */
  context?: Record<string, unknown>;
}

export interface PromotionAliasInput {
  endpoint: { id: string; name: string };
  candidateVersionId: string;
  baselineVersionId: string | null;
  rolloutId: string;
  actor: string;
}

/**
 * The registry's one way to move an alias: by hand through the API (`setModelAlias`) and at the
 * end of a successful rollout (the worker's `finalizePromotion`). Each move is serialized per
 * alias and audited. Call it inside the caller's transaction.
 */
export class ModelAliasService {
  private readonly aliases = new ModelAliasRepository();
  private readonly audit = new AuditRepository();

  async move(tx: DbClient, move: AliasMove): Promise<ModelAliasRecord> {
    await this.aliases.lock(tx, move.modelId, move.alias);
    return this.write(tx, move, await this.aliases.find(tx, move.modelId, move.alias));
  }

  /**
   * After a successful rollout: `production` of the candidate's model follows the endpoint that
   * holds it (`promotionMovesAlias`). Returns the alias when it moved, null when another endpoint
   * holds it.
   */
  async followPromotion(tx: DbClient, input: PromotionAliasInput): Promise<ModelAliasRecord | null> {
    const candidate = await tx.modelVersion.findUnique({
      where: { id: input.candidateVersionId },
      select: { modelId: true },
    });
    if (!candidate) {
      throw notFound(`model version ${input.candidateVersionId} does not exist`, {
        reason: 'MODEL_VERSION_NOT_FOUND',
      });
    }
    await this.aliases.lock(tx, candidate.modelId, PRODUCTION_ALIAS);
    const current = await this.aliases.find(tx, candidate.modelId, PRODUCTION_ALIAS);
    const promotion = {
      endpointId: input.endpoint.id,
      candidateVersionId: input.candidateVersionId,
      baselineVersionId: input.baselineVersionId,
    };
    if (!promotionMovesAlias(current, promotion)) return null;
    // A retried activity finds the move done: no second audit row.
    if (current?.versionId === input.candidateVersionId && current.endpointId === input.endpoint.id) return current;
    const move: AliasMove = {
      modelId: candidate.modelId,
      alias: PRODUCTION_ALIAS,
      versionId: input.candidateVersionId,
      endpointId: input.endpoint.id,
      actor: input.actor,
      requestId: null,
      context: { rolloutId: input.rolloutId, endpoint: input.endpoint.name },
    };
    return this.write(tx, move, current);
  }

  private async write(tx: DbClient, move: AliasMove, before: ModelAliasRecord | null): Promise<ModelAliasRecord> {
    const { modelId, alias } = move;
    await this.aliases.upsert(tx, modelId, alias, move.versionId, move.endpointId);
    const after = (await this.aliases.find(tx, modelId, alias))!;
    await this.audit.record(tx, {
      actor: move.actor,
      action: 'model_alias.set',
      subjectType: 'model',
      subjectId: modelId,
      before: before ? { alias, version: before.version, endpoint: before.endpoint } : null,
      after: { alias, version: after.version, endpoint: after.endpoint, ...move.context },
      requestId: move.requestId,
    });
    return after;
  }
}
