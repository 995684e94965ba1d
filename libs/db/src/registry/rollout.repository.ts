import { type RolloutState, type VersionRef } from '@fledge/domain';

import { type Alarm, type Prisma, type PrismaClient, type Rollout } from '../generated/prisma/client.js';
import { inTransaction } from '../transaction.js';
import { AuditRepository } from './api-key.repository.js';
import { type DbClient } from './db-client.js';
import { decodeCursor, encodeCursor, invalidCursor, type Page, type PageResult } from './cursor.js';

export interface RolloutRecord {
  id: string;
  endpointId: string;
  candidateVersionId: string;
  baselineVersionId: string | null;
  policy: Record<string, unknown>;
  state: RolloutState;
  currentStep: number;
  workflowId: string | null;
  reason: string | null;
  evidence: Record<string, unknown>;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

export interface RolloutEventRecord {
  rolloutId: string;
  seq: number;
  type: string;
  detail: Record<string, unknown>;
  at: Date;
}

const asObject = (v: unknown): Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

const toRolloutRecord = (row: Rollout): RolloutRecord => ({
  id: row.id,
  endpointId: row.endpointId,
  candidateVersionId: row.candidateVersionId,
  baselineVersionId: row.baselineVersionId,
  policy: asObject(row.policy),
  state: row.status,
  currentStep: row.currentStep,
  workflowId: row.workflowId,
  reason: row.reason,
  evidence: asObject(row.evidence),
  createdBy: row.createdBy,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
  startedAt: row.startedAt,
  finishedAt: row.finishedAt,
});

const terminal: readonly RolloutState[] = ['SUCCEEDED', 'REJECTED', 'ROLLED_BACK', 'ABORTED', 'FAILED'];

export const rolloutCursor = (r: RolloutRecord) => encodeCursor([r.id]);
export const rolloutEventCursor = (e: RolloutEventRecord) => encodeCursor([e.seq]);

export class RolloutRepository {
  /** The partial unique index refuses a second active rollout of an endpoint (CONFLICT). */
  async create(
    db: DbClient,
    data: {
      /** Chosen by the caller when the workflow must know it before the row exists. */
      id?: string;
      endpointId: string;
      candidateVersionId: string;
      baselineVersionId: string | null;
      policy: Record<string, unknown>;
      workflowId: string;
      createdBy: string;
    },
  ): Promise<RolloutRecord> {
    const row = await db.rollout.create({ data: { ...data, policy: data.policy as Prisma.InputJsonValue } });
    return toRolloutRecord(row);
  }

  async findById(db: DbClient, id: string): Promise<RolloutRecord | null> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
    const row = await db.rollout.findUnique({ where: { id } });
    return row ? toRolloutRecord(row) : null;
  }

  /** Serializes writers of one rollout's row until the transaction ends. */
  async lock(tx: DbClient, id: string): Promise<void> {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`rollout:${id}`}, 0))`;
  }

  async findByIds(db: DbClient, ids: readonly string[]): Promise<RolloutRecord[]> {
    return (await db.rollout.findMany({ where: { id: { in: [...ids] } } })).map(toRolloutRecord);
  }

  async findActive(db: DbClient, endpointId: string): Promise<RolloutRecord | null> {
    const row = await db.rollout.findFirst({
      where: { endpointId, status: { notIn: [...terminal] } },
      orderBy: { createdAt: 'desc' },
    });
    return row ? toRolloutRecord(row) : null;
  }

  /** Newest first (ids are UUIDv7, ordered by time). */
  async listByEndpoint(db: DbClient, endpointId: string, page: Page): Promise<PageResult<RolloutRecord>> {
    const before = page.after ? String(decodeCursor(page.after, 1)[0]) : null;
    const [rows, totalCount] = await Promise.all([
      db.rollout.findMany({
        where: before ? { endpointId, id: { lt: before } } : { endpointId },
        orderBy: { id: 'desc' },
        take: page.first + 1,
      }),
      db.rollout.count({ where: { endpointId } }),
    ]);
    return { rows: rows.map(toRolloutRecord), totalCount };
  }

  async setState(
    db: DbClient,
    id: string,
    change: {
      state: RolloutState;
      step: number | null;
      reason: string | null;
      at: Date;
      evidence?: Record<string, unknown>;
    },
  ): Promise<void> {
    const current = await db.rollout.findUnique({ where: { id }, select: { startedAt: true } });
    await db.rollout.update({
      where: { id },
      data: {
        status: change.state,
        ...(change.step !== null ? { currentStep: change.step } : {}),
        reason: change.reason,
        ...(change.evidence ? { evidence: change.evidence as Prisma.InputJsonValue } : {}),
        ...(change.state !== 'PENDING' && current && !current.startedAt ? { startedAt: change.at } : {}),
        ...(terminal.includes(change.state) ? { finishedAt: change.at } : {}),
      },
    });
  }

  /** Events carry a sequence number assigned by the workflow, so a retried write is a no-op. */
  async recordEvent(db: DbClient, event: RolloutEventRecord): Promise<void> {
    await db.rolloutEvent.upsert({
      where: { rolloutId_seq: { rolloutId: event.rolloutId, seq: event.seq } },
      create: {
        rolloutId: event.rolloutId,
        seq: event.seq,
        type: event.type,
        detail: event.detail as Prisma.InputJsonValue,
        at: event.at,
      },
      update: {},
    });
  }

  /** A rollout's events in order, a page after the event whose cursor is given (keyset on seq). */
  async eventPage(db: DbClient, rolloutId: string, page: Page): Promise<PageResult<RolloutEventRecord>> {
    let afterSeq = 0;
    if (page.after) {
      const [seq] = decodeCursor(page.after, 1);
      if (typeof seq !== 'number' || !Number.isSafeInteger(seq)) throw invalidCursor();
      afterSeq = seq;
    }
    const [rows, totalCount] = await Promise.all([
      db.rolloutEvent.findMany({
        where: { rolloutId, seq: { gt: afterSeq } },
        orderBy: { seq: 'asc' },
        take: page.first + 1,
      }),
      db.rolloutEvent.count({ where: { rolloutId } }),
    ]);
    return {
      rows: rows.map((r) => ({
        rolloutId: r.rolloutId,
        seq: r.seq,
        type: r.type,
        detail: asObject(r.detail),
        at: r.at,
      })),
      totalCount,
    };
  }

  async appliedStep(db: DbClient, rolloutId: string, stepKey: string): Promise<{ appliedAt: Date } | null> {
    const row = await db.rolloutTrafficStep.findUnique({ where: { rolloutId_stepKey: { rolloutId, stepKey } } });
    return row ? { appliedAt: row.appliedAt } : null;
  }

  async recordAppliedStep(db: DbClient, rolloutId: string, stepKey: string, variants: unknown): Promise<void> {
    await db.rolloutTrafficStep.upsert({
      where: { rolloutId_stepKey: { rolloutId, stepKey } },
      create: { rolloutId, stepKey, variants: variants as Prisma.InputJsonValue },
      update: {},
    });
  }

  async appliedSteps(db: DbClient, rolloutId: string): Promise<{ stepKey: string; appliedAt: Date }[]> {
    return db.rolloutTrafficStep.findMany({
      where: { rolloutId },
      orderBy: { appliedAt: 'asc' },
      select: { stepKey: true, appliedAt: true },
    });
  }
}

export interface AlarmRecord {
  id: string;
  endpointId: string;
  source: string;
  name: string;
  state: 'firing' | 'resolved';
  payload: Record<string, unknown>;
  fingerprint: string;
  rolloutId: string | null;
  receivedAt: Date;
}

export interface AlarmFilter {
  endpointId?: string;
  state?: AlarmRecord['state'];
  source?: string;
}

export const alarmCursor = (a: AlarmRecord) => encodeCursor([a.id]);

const toAlarmRecord = (row: Alarm): AlarmRecord => ({ ...row, payload: asObject(row.payload) });

export class AlarmRepository {
  async create(db: DbClient, data: Omit<AlarmRecord, 'id' | 'receivedAt'>): Promise<AlarmRecord> {
    return toAlarmRecord(await db.alarm.create({ data: { ...data, payload: data.payload as Prisma.InputJsonValue } }));
  }

  async listByEndpoint(db: DbClient, endpointId: string, limit: number): Promise<AlarmRecord[]> {
    const rows = await db.alarm.findMany({ where: { endpointId }, orderBy: { receivedAt: 'desc' }, take: limit });
    return rows.map(toAlarmRecord);
  }

  async listByRollout(db: DbClient, rolloutIds: readonly string[]): Promise<AlarmRecord[]> {
    const rows = await db.alarm.findMany({
      where: { rolloutId: { in: [...rolloutIds] } },
      orderBy: { receivedAt: 'asc' },
    });
    return rows.map(toAlarmRecord);
  }

  /** Newest first (ids are UUIDv7, ordered by time), filtered by endpoint, state and source. */
  async list(db: DbClient, filter: AlarmFilter, page: Page): Promise<PageResult<AlarmRecord>> {
    const before = page.after ? String(decodeCursor(page.after, 1)[0]) : null;
    const where: Prisma.AlarmWhereInput = {
      endpointId: filter.endpointId,
      state: filter.state,
      source: filter.source,
    };
    const [rows, totalCount] = await Promise.all([
      db.alarm.findMany({
        where: before ? { ...where, id: { lt: before } } : where,
        orderBy: { id: 'desc' },
        take: page.first + 1,
      }),
      db.alarm.count({ where }),
    ]);
    return { rows: rows.map(toAlarmRecord), totalCount };
  }
}

export interface RolloutOpening {
  rolloutId: string;
  endpoint: { id: string; name: string };
  candidate: VersionRef;
  /** Null for a first deploy. */
  baseline: VersionRef | null;
  policy: Record<string, unknown>;
  workflowId: string;
  createdBy: string;
  /** The key that asked for the rollout (its audit row names it); null when unknown. */
  createdById?: string | null;
  requestId: string | null;
}

/**
 * Writes a rollout's row and its audit row once, by the rollout's id: the API (right after it
 * started the workflow) and the workflow's first activity both call it, and whichever comes first
 * writes. A CONFLICT (ROLLOUT_ALREADY_ACTIVE) when another rollout of the endpoint is active.
 */
export async function openRollout(db: PrismaClient, input: RolloutOpening): Promise<RolloutRecord> {
  const rollouts = new RolloutRepository();
  const audit = new AuditRepository();
  return inTransaction(db, async (tx) => {
    await rollouts.lock(tx, input.rolloutId);
    const existing = await rollouts.findById(tx, input.rolloutId);
    if (existing) return existing;
    const { endpoint, candidate, baseline, policy } = input;
    const created = await rollouts.create(tx, {
      id: input.rolloutId,
      endpointId: endpoint.id,
      candidateVersionId: candidate.modelVersionId,
      baselineVersionId: baseline?.modelVersionId ?? null,
      policy,
      workflowId: input.workflowId,
      createdBy: input.createdBy,
    });
    await audit.record(tx, {
      actor: { apiKeyId: input.createdById ?? null, name: input.createdBy },
      action: baseline ? 'rollout.promote' : 'rollout.deploy',
      subjectType: 'rollout',
      subjectId: created.id,
      after: { endpoint: endpoint.name, candidate, baseline, policy },
      requestId: input.requestId,
    });
    return created;
  });
}
