import { translateDbError } from './db-errors.js';
import { type Prisma, type PrismaClient } from './generated/prisma/client.js';

/** The client handed to a transaction callback. Repositories accept it wherever they take a client. */
export type TxClient = Prisma.TransactionClient;

export interface TransactionOptions {
  isolationLevel?: Prisma.TransactionIsolationLevel;
  /** Longest the whole transaction may run (Prisma's default of 5 s is short for row-lock queues). */
  timeoutMs?: number;
  /** Longest to wait for a pooled connection before starting. */
  maxWaitMs?: number;
}

/**
 * Runs `fn` in one interactive transaction and translates database errors, including those only
 * raised at COMMIT by deferred constraints (the endpoint weight sum).
 */
export async function inTransaction<T>(
  prisma: PrismaClient,
  fn: (tx: TxClient) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  try {
    return await prisma.$transaction(fn, {
      isolationLevel: options.isolationLevel,
      timeout: options.timeoutMs ?? 30_000,
      maxWait: options.maxWaitMs ?? 30_000,
    });
  } catch (error) {
    throw translateDbError(error);
  }
}
