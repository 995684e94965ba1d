import { jest } from '@jest/globals';

// Jest ignores `testTimeout` inside a project; end-to-end specs drive whole rollouts.
jest.setTimeout(300_000);
