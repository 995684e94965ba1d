import { readFileSync } from 'node:fs';

import { describe, expect, it } from '@jest/globals';
import { buildSchema, parse, validate } from 'graphql';

import * as operations from './operations.js';

// The API's committed, reviewed schema: the CLI's operations must stay valid against it.
const schema = buildSchema(readFileSync(new URL('../../../api/schema.graphql', import.meta.url), 'utf8'));

describe('GraphQL operations', () => {
  it.each(Object.entries(operations))('%s is valid against apps/api/schema.graphql', (_name, source) => {
    expect(validate(schema, parse(source)).map((e) => e.message)).toEqual([]);
  });
});
