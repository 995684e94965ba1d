export * from './generated/prisma/client.js';
export * from './database.js';
export * from './db-errors.js';
export * from './transaction.js';
export * from './version-allocator.js';
export * from './endpoint-variant.repository.js';
export { EmbeddedAdapterFactory } from './embedded/pglite-adapter.js';
export {
  deployMigrations,
  pendingMigrations,
  MIGRATION_ADVISORY_LOCK,
  type DeployOptions,
  type DeployResult,
} from './migrate/deploy.js';
export {
  type MigrationConnection,
  pgMigrationConnection,
  pgliteMigrationConnection,
} from './migrate/migration-connection.js';
export {
  type MigrationFile,
  readMigrations,
  migrationChecksum,
  defaultMigrationsDir,
  defaultSchemaPath,
  defaultPrismaDir,
} from './migrate/migration-files.js';
export {
  type AuthoringOptions,
  type CreatedMigration,
  type DriftReport,
  checkDrift,
  createMigration,
  diffSchemaAgainstMigrations,
  isEmptyMigration,
} from './migrate/migration-authoring.js';
export { type ScratchDatabase, createScratchDatabase } from './migrate/scratch-database.js';
export * from './registry/index.js';
