import { describe, expect, it } from '@jest/globals';

import { isEmptyMigration } from './migration-authoring.js';
import { checksumMatches, migrationChecksum, migrationFolderName } from './migration-files.js';

describe('migration files', () => {
  it('checksums are the hex sha256 of the file, tolerant of line-ending changes only', () => {
    const sql = 'CREATE TABLE a (id int);\nCREATE TABLE b (id int);\n';
    expect(migrationChecksum('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    const recorded = migrationChecksum(sql);
    expect(checksumMatches(recorded, sql)).toBe(true);
    expect(checksumMatches(recorded, sql.replace(/\n/g, '\r\n'))).toBe(true);
    expect(checksumMatches(recorded, sql.replace('b (id', 'b (uid'))).toBe(false);
    expect(checksumMatches(recorded, `${sql}-- comment\n`)).toBe(false);
  });

  it('folder names follow Prisma: UTC timestamp and a snake_case name', () => {
    expect(migrationFolderName('Add model tags!', new Date('2026-11-23T09:08:07.999Z'))).toBe(
      '20261123090807_add_model_tags',
    );
    expect(() => migrationFolderName(' !! ')).toThrow(/invalid migration name/);
  });

  it('a script of comments only is an empty migration', () => {
    expect(isEmptyMigration('-- This is an empty migration.\n\n')).toBe(true);
    expect(isEmptyMigration('/* nothing */\n')).toBe(true);
    expect(isEmptyMigration('-- AddColumn\nALTER TABLE "a" ADD COLUMN "b" INT;\n')).toBe(false);
  });
});
