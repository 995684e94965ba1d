// Lint, including the module boundaries of ../STYLE (apps → adapters → domain; workflows → domain
// and contracts only). The boundaries are plain `no-restricted-imports` rules per folder, so they
// enforce exactly what they say without a plugin.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [...builtinModules.filter((m) => !m.startsWith('_')).flatMap((m) => [m, `node:${m}`])];
const ioPackages = [
  '@prisma/*',
  '@nestjs/*',
  '@aws-sdk/*',
  '@temporalio/client',
  '@temporalio/worker',
  '@temporalio/activity',
  'onnxruntime-node',
  'pg',
  'pino',
  '@electric-sql/*',
];
const appImports = ['@fledge/api', '@fledge/worker', '@fledge/serving', '@fledge/cli', '**/apps/**'];
// Later flat-config blocks replace a rule for the files they match, so every block repeats the
// application ban: a library never imports an application.
const restrict = (message, { paths = [], patterns = [] }) => ({
  'no-restricted-imports': [
    'error',
    {
      paths: paths.map((name) => ({ name, message })),
      patterns: [
        { group: appImports, message: 'Libraries never import applications.' },
        ...(patterns.length ? [{ group: patterns, message }] : []),
      ],
    },
  ],
});

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '.tools/**',
      '.stack/**',
      '.nx/**',
      '.fledge/**',
      'coverage/**',
      'libs/db/src/generated/**',
      'libs/client/src/generated/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false },
      ],
      'no-console': 'off',
    },
  },
  {
    // The web console runs in browsers.
    files: ['apps/web/src/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.recommended.rules },
  },
  {
    // Nest resolves constructor parameters from emitted type metadata: those imports must stay values.
    files: [
      'apps/api/**/*.ts',
      'apps/worker/**/*.ts',
      'apps/serving/**/*.ts',
      'libs/db/**/*.ts',
      'libs/*/src/**/*.module.ts',
    ],
    rules: { '@typescript-eslint/consistent-type-imports': 'off' },
  },
  {
    files: ['libs/**/*.ts', 'workflows/**/*.ts'],
    rules: restrict('', {}),
  },
  {
    files: ['libs/domain/**/*.ts'],
    ignores: ['**/*.spec.ts', 'libs/domain/test/**'],
    rules: restrict('libs/domain is pure: no IO, no frameworks, only @fledge/errors.', {
      paths: nodeBuiltins,
      patterns: [ioPackages, ['@fledge/*', '!@fledge/errors']].flat(),
    }),
  },
  {
    files: ['libs/errors/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: restrict('libs/errors depends on nothing.', { paths: nodeBuiltins, patterns: [...ioPackages, '@fledge/*'] }),
  },
  {
    files: ['workflows/src/workflows/**/*.ts', 'workflows/src/contracts/**/*.ts'],
    rules: restrict(
      'Workflow code is deterministic: only @temporalio/workflow, the contracts and @fledge/domain|errors.',
      {
        paths: nodeBuiltins,
        patterns: [
          ...ioPackages,
          '@temporalio/*',
          '!@temporalio/workflow',
          '!@temporalio/common',
          '@fledge/*',
          '!@fledge/domain',
          '!@fledge/errors',
        ],
      },
    ),
  },
  {
    files: ['apps/cli/**/*.ts'],
    ignores: ['**/*.spec.ts', '**/*.integration-spec.ts'],
    rules: restrict('The CLI talks to the GraphQL API only.', {
      patterns: ['@fledge/db', '@prisma/*', '@temporalio/*', '@fledge/storage'],
    }),
  },
  {
    files: [
      '**/*.spec.ts',
      '**/*.integration-spec.ts',
      '**/*.e2e-spec.ts',
      'libs/testing/**/*.ts',
      '**/test/**/*.ts',
      'e2e/**/*.ts',
    ],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off', '@typescript-eslint/no-explicit-any': 'off' },
  },
);
