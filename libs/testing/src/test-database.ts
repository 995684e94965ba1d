import { createPrismaClient, createScratchDatabase, deployToUrl, type FledgeDatabase } from '@fledge/db';

const NOT_SOURCED =
  'FLEDGE_STACK_DATABASE_URL is not set: start the test stack (`bash scripts/stack up`) and ' +
  '`source .stack/stack.env` in this shell before running integration tests';

/** The stack's PostgreSQL server (a role that may create databases), from `.stack/stack.env`. */
export function stackDatabaseUrl(): string {
  const url = process.env.FLEDGE_STACK_DATABASE_URL;
  if (!url) throw new Error(NOT_SOURCED);
  return url;
}

/** Prefix of every database the test helpers create, so leftovers are recognisable. */
export const TEST_DATABASE_PREFIX = 'fledge_test';

export interface TestDatabase {
  /** Connection string of the fresh database. */
  readonly url: string;
  readonly name: string;
  /** Drops the database (closing sessions still connected to it). */
  drop(): Promise<void>;
}

/**
 * A fresh, uniquely named database on the stack's PostgreSQL, with the migrations applied unless
 * `migrate: false` (then it is empty, for migration tests).
 */
export async function createTestDatabase(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const scratch = await createScratchDatabase(stackDatabaseUrl(), TEST_DATABASE_PREFIX);
  try {
    if (options.migrate !== false) await deployToUrl(scratch.url);
  } catch (error) {
    await scratch.drop();
    throw error;
  }
  return scratch;
}

/**
 * The run's shared test database, created and migrated once by the integration globalSetup and
 * handed to every worker as DATABASE_URL.
 */
export function testDatabaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) {
    stackDatabaseUrl();
    throw new Error(
      'DATABASE_URL is not set: run integration tests through `node scripts/jest.mjs --selectProjects integration`, whose globalSetup creates the test database',
    );
  }
  return url;
}

/** A Prisma client on the run's shared test database. Close it in afterAll. */
export function openTestDatabase(): Promise<FledgeDatabase> {
  return createPrismaClient({ databaseUrl: testDatabaseUrl() });
}
