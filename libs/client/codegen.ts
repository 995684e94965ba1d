// GraphQL Code Generator: typed documents for every operation under src/operations, generated
// from the committed schema (apps/api/schema.graphql). `npm run graphql:codegen` writes
// src/generated; `npm run graphql:codegen:check` fails when they are stale (CI).
import { type CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: 'apps/api/schema.graphql',
  documents: ['libs/client/src/operations/**/*.graphql'],
  ignoreNoDocuments: false,
  generates: {
    'libs/client/src/generated/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false, gqlTagName: 'graphql' },
      config: {
        // Documents are strings: executing one needs no GraphQL parser in the browser bundle.
        documentMode: 'string',
        enumsAsTypes: true,
        useTypeImports: true,
        importExtension: '.js',
        avoidOptionals: { field: true, inputValue: false, object: false },
        scalars: {
          DateTime: { input: 'string', output: 'string' },
          JSON: { input: 'unknown', output: 'unknown' },
        },
      },
    },
  },
};

export default config;
