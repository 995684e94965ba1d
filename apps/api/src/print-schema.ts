import 'reflect-metadata';

import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { NestFactory } from '@nestjs/core';
import { GraphQLSchemaBuilderModule, GraphQLSchemaFactory } from '@nestjs/graphql';
import { lexicographicSortSchema, printSchema } from 'graphql';

import { resolvers } from './api.module.js';

/**
 * Prints the sorted SDL of the code-first schema to apps/api/schema.graphql (`write`) or fails when
 * the committed file differs from the code (`check`, run in CI). The file is a reviewed artifact.
 */
const schemaFile = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'schema.graphql');
const mode = process.argv[2] ?? 'write';

const app = await NestFactory.createApplicationContext(GraphQLSchemaBuilderModule, { logger: false });
const schema = await app.get(GraphQLSchemaFactory).create(resolvers);
await app.close();
const sdl = `${printSchema(lexicographicSortSchema(schema))}\n`;

if (mode === 'check') {
  const committed = await readFile(schemaFile, 'utf8').catch(() => '');
  if (committed !== sdl) {
    console.error('apps/api/schema.graphql is out of date: run `npm run graphql:schema` and commit it.');
    process.exit(1);
  }
  console.log('schema.graphql matches the code');
} else {
  await writeFile(schemaFile, sdl);
  console.log(`wrote ${path.relative(process.cwd(), schemaFile)}`);
}
