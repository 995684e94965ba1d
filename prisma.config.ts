// Prisma CLI configuration. DATABASE_URL is read directly: `env()` throws when it is unset, which
// would break `prisma generate` (it needs no database). Fledge's own migration tooling
// (libs/db/src/migrate, `npm run migrate:*`) reads the same schema and migrations folder.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL },
});
