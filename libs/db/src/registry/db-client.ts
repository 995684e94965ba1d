import { type PrismaClient } from '../generated/prisma/client.js';
import { type TxClient } from '../transaction.js';

/** Either the client or the client of an open interactive transaction: repositories take both. */
export type DbClient = PrismaClient | TxClient;
