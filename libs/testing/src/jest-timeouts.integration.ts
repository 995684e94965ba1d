import { jest } from '@jest/globals';

// Jest ignores `testTimeout` inside a project; the integration tier talks to real servers.
jest.setTimeout(120_000);
