// Fledge's migration CLI on the wasm schema engine (Prisma 7's own `migrate` needs a native engine
// it downloads at run time). Run through the root scripts:
//   npm run migrate:deploy              apply pending migrations to DATABASE_URL
//   npm run migrate:new -- <name>       write prisma/migrations/<timestamp>_<name>/ from schema.prisma
//   npm run migrate:check               fail when schema.prisma and the migrations drift apart
// `new` and `check` need a PostgreSQL server whose role may create databases (for a throwaway
// shadow database): DATABASE_URL, else the test stack's FLEDGE_STACK_DATABASE_URL.
// This is a process entry point, so it reads its few settings from the environment itself.
import { parseArgs } from 'node:util';

import { FledgeError } from '@fledge/errors';

import { deployToUrl } from '../database.js';
import { checkDrift, createMigration } from './migration-authoring.js';

const usage = `usage: migrate <deploy|new <name>|check> [--database-url URL] [--migrations DIR] [--schema FILE]`;

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'database-url': { type: 'string' },
      migrations: { type: 'string' },
      schema: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    console.log(usage);
    return command ? 0 : 2;
  }
  const databaseUrl = values['database-url'] ?? process.env.DATABASE_URL;
  const serverUrl = databaseUrl ?? process.env.FLEDGE_STACK_DATABASE_URL;
  const paths = { migrationsDir: values.migrations, schemaPath: values.schema };

  switch (command) {
    case 'deploy': {
      if (!databaseUrl) throw new Error('DATABASE_URL is not set (or pass --database-url)');
      const result = await deployToUrl(databaseUrl, { ...paths, log: (line) => console.log(line) });
      console.log(
        result.applied.length === 0
          ? `database is up to date (${result.alreadyApplied} migrations applied)`
          : `applied ${result.applied.length} migration(s): ${result.applied.join(', ')}`,
      );
      return 0;
    }
    case 'new': {
      const name = rest[0];
      if (!name) throw new Error('migrate new needs a name, e.g. `npm run migrate:new -- add_model_tags`');
      if (!serverUrl)
        throw new Error('set DATABASE_URL or FLEDGE_STACK_DATABASE_URL (a server for the shadow database)');
      const created = await createMigration(name, { serverUrl, ...paths });
      console.log(created ? `wrote ${created.file}` : 'no changes: schema.prisma matches the migrations');
      return 0;
    }
    case 'check': {
      if (!serverUrl)
        throw new Error('set DATABASE_URL or FLEDGE_STACK_DATABASE_URL (a server for the shadow database)');
      const report = await checkDrift({ serverUrl, ...paths });
      if (!report.drift) {
        console.log('no drift: schema.prisma matches the migrations');
        return 0;
      }
      console.error('drift: schema.prisma differs from prisma/migrations; a new migration needs:\n');
      console.error(report.sql);
      console.error('\nrun `npm run migrate:new -- <name>` and commit the migration');
      return 1;
    }
    default:
      console.error(usage);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`migrate: ${FledgeError.is(error) ? `${error.reason}: ` : ''}${(error as Error).message}`);
    process.exit(1);
  },
);
