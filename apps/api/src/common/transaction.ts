import { type AuditRepository, inTransaction as dbTransaction, type PrismaClient, type TxClient } from '@fledge/db';
import { FledgeError } from '@fledge/errors';

import { type CallContext } from '../auth/auth.decorators.js';

/**
 * Runs a use case in one interactive transaction (its writes and its audit row commit together),
 * with database errors translated; a duplicate name gets the use case's own message.
 */
export async function inTransaction<T>(
  db: PrismaClient,
  fn: (tx: TxClient) => Promise<T>,
  conflictMessage?: string,
): Promise<T> {
  try {
    return await dbTransaction(db, fn);
  } catch (error) {
    if (conflictMessage && FledgeError.is(error, 'CONFLICT') && error.reason === 'ALREADY_EXISTS') {
      throw new FledgeError('CONFLICT', conflictMessage, {
        reason: 'ALREADY_EXISTS',
        details: error.details,
        cause: error,
      });
    }
    throw error;
  }
}

/**
 * Creates a uniquely named record and its audit row in one transaction: the shared shape of
 * createModel, createDataset and createEndpoint. A taken name is a CONFLICT saying so.
 */
export function createAudited<T extends { id: string }>(
  db: PrismaClient,
  audit: AuditRepository,
  call: CallContext,
  subject: { type: 'model' | 'dataset' | 'endpoint'; name: string },
  create: (tx: TxClient) => Promise<T>,
): Promise<T> {
  return inTransaction(
    db,
    async (tx) => {
      const created = await create(tx);
      await audit.record(tx, {
        actor: call.actor,
        action: `${subject.type}.create`,
        subjectType: subject.type,
        subjectId: created.id,
        after: created,
        requestId: call.requestId,
      });
      return created;
    },
    `a ${subject.type} named ${subject.name} already exists`,
  );
}
