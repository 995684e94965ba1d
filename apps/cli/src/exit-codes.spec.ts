import { describe, expect, it } from '@jest/globals';
import { errorCodes } from '@fledge/errors';

import { EXIT_CODES_HELP, ExitCode, exitCodeOf } from './exit-codes.js';

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
      FAILED_PRECONDITION: 6,
      INTEGRITY: 1,
      UNAVAILABLE: 7,
      INTERNAL: 1,
    });
  });
});
