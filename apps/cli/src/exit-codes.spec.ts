import { describe, expect, it } from '@jest/globals';
import { errorCodes } from '@fledge/errors';

import { type RolloutState } from '@fledge/client';
import { EXIT_CODES_HELP, ExitCode, exitCodeOf, exitCodeOfRolloutState } from './exit-codes.js';

describe(exitCodeOf.name, () => {
  it('gives every API error code a documented exit code other than 0 and 2', () => {
    for (const code of errorCodes) {
      const exit = exitCodeOf(code);
      expect(exit).not.toBe(ExitCode.OK);
      expect(exit).not.toBe(ExitCode.USAGE);
      expect(EXIT_CODES_HELP).toMatch(new RegExp(`^  ${exit}  `, 'm'));
    }
  });

  it('keeps the documented table', () => {
    expect(Object.fromEntries(errorCodes.map((c) => [c, exitCodeOf(c)]))).toEqual({
      NOT_FOUND: 3,
      FORBIDDEN: 4,
      UNAUTHENTICATED: 4,
      CONFLICT: 5,
      INVALID_ARGUMENT: 6,
      PAYLOAD_TOO_LARGE: 6,
      REQUEST_TIMEOUT: 7,
      FAILED_PRECONDITION: 6,
      INTEGRITY: 1,
      UNAVAILABLE: 7,
      INTERNAL: 1,
    });
  });
});

describe(exitCodeOfRolloutState.name, () => {
  it('maps SUCCEEDED to 0, every other terminal state to 8 and running states to undefined', () => {
    const states: RolloutState[] = [
      'PENDING',
      'GATING',
      'SHADOW',
      'CANARY',
      'PROMOTING',
      'ROLLING_BACK',
      'SUCCEEDED',
      'REJECTED',
      'ROLLED_BACK',
      'ABORTED',
      'FAILED',
    ];
    expect(Object.fromEntries(states.map((s) => [s, exitCodeOfRolloutState(s)]))).toEqual({
      PENDING: undefined,
      GATING: undefined,
      SHADOW: undefined,
      CANARY: undefined,
      PROMOTING: undefined,
      ROLLING_BACK: undefined,
      SUCCEEDED: 0,
      REJECTED: 8,
      ROLLED_BACK: 8,
      ABORTED: 8,
      FAILED: 8,
    });
    expect(EXIT_CODES_HELP).toMatch(/^ {2}8 {2}a watched rollout ended without succeeding/m);
  });
});
