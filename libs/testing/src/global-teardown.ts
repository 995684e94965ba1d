// Jest globalTeardown: drops the run's test database made by global-setup.ts (same process).
// Loaded as CommonJS like the setup, so it imports only packages.
import pg from 'pg';

export default async function globalTeardown(): Promise<void> {
  const serverUrl = process.env.FLEDGE_STACK_DATABASE_URL;
  const name = process.env.FLEDGE_TEST_RUN_DATABASE;
  if (!serverUrl || !name || !/^fledge_test_[0-9a-z_]+$/.test(name)) return;
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    // FORCE cannot end sessions the server itself runs for the database (autovacuum): retry briefly.
    for (let attempt = 1; ; attempt++) {
      try {
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        return;
      } catch (error) {
        if (attempt >= 5) {
          // Leaving it costs nothing: the next run's globalSetup drops day-old test databases.
          console.warn(`[fledge] could not drop the test database ${name}: ${(error as Error).message}`);
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
      }
    }
  } finally {
    await client.end();
  }
}
