// One Jest for the whole repo, in ESM mode (Nest 12 is ESM-only); run through scripts/jest.mjs,
// which sets --experimental-vm-modules. Tiers are Jest projects: unit, integration, e2e.
import { swcSourceOptions } from './scripts/swc-options.mjs';

const swc = ['@swc/jest', swcSourceOptions];

const shared = {
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper: {
    '^@fledge/workflows$': '<rootDir>/workflows/src/index.ts',
    '^@fledge/workflows/bundle$': '<rootDir>/workflows/src/bundle/workflow-bundle-options.ts',
    '^@fledge/hosting/sagemaker$': '<rootDir>/libs/hosting/src/sagemaker/index.ts',
    '^@fledge/testing$': '<rootDir>/libs/testing/src/index.ts',
    '^@fledge/(api|worker|serving|standalone)$': '<rootDir>/apps/$1/src/index.ts',
    '^@fledge/([a-z-]+)$': '<rootDir>/libs/$1/src/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/.tools/'],
  modulePathIgnorePatterns: ['<rootDir>/.*/dist/', '<rootDir>/.tools/', '<rootDir>/.stack/'],
  rootDir: '.',
};

export default {
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,workflows}/**/*.spec.ts'] },
    {
      ...shared,
      displayName: 'integration',
      testMatch: ['<rootDir>/{apps,libs,workflows}/**/*.integration-spec.ts'],
      globalSetup: '<rootDir>/libs/testing/src/global-setup.ts',
      globalTeardown: '<rootDir>/libs/testing/src/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/libs/testing/src/jest-timeouts.integration.ts'],
    },
    {
      ...shared,
      displayName: 'e2e',
      testMatch: ['<rootDir>/e2e/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/libs/testing/src/global-setup.ts',
      globalTeardown: '<rootDir>/libs/testing/src/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/libs/testing/src/jest-timeouts.e2e.ts'],
    },
  ],
};
