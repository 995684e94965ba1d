// `node scripts/run.mjs libs/testing/src/test-database.cli.ts create` prints {"url","name"} of a
// fresh migrated test database. Jest loads globalSetup files as CommonJS without our path
// aliases, so the integration globalSetup runs this in a child process instead of importing it.
import { createTestDatabase } from './test-database.js';

const db = await createTestDatabase();
process.stdout.write(`${JSON.stringify({ url: db.url, name: db.name })}\n`);
