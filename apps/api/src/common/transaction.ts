import { inTransaction as dbTransaction, type PrismaClient, type TxClient } from '@fledge/db';
import { FledgeError } from '@fledge/errors';

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
