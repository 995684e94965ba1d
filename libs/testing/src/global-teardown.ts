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
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
