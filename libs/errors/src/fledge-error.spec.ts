import { describe, expect, it } from '@jest/globals';

import { FledgeError, invalidArgument, isErrorCode } from './index.js';

describe(FledgeError.name, () => {
  it('carries a code, a stable reason and client-safe details', () => {
    const sut = invalidArgument('row 3 lacks the label column "label"', {
      reason: 'DATASET_ROW_INVALID',
      details: { row: 3 },
    });
    expect(FledgeError.is(sut, 'INVALID_ARGUMENT')).toBe(true);
    expect(FledgeError.is(sut, 'NOT_FOUND')).toBe(false);
    expect(sut.toJSON()).toEqual({
      code: 'INVALID_ARGUMENT',
      reason: 'DATASET_ROW_INVALID',
      message: 'row 3 lacks the label column "label"',
      details: { row: 3 },
    });
  });

  it('defaults the reason to the code and recognises codes', () => {
    expect(new FledgeError('CONFLICT', 'taken').reason).toBe('CONFLICT');
    expect(isErrorCode('NOT_FOUND')).toBe(true);
    expect(isErrorCode('TEAPOT')).toBe(false);
  });
});

describe('httpStatusOf', () => {
  it('maps every code to a status and back', async () => {
    const { errorCodes, httpStatusOf, errorCodeOfHttpStatus } = await import('./index.js');
    for (const code of errorCodes) expect(errorCodeOfHttpStatus(httpStatusOf(code))).toBe(code);
    expect(httpStatusOf('PAYLOAD_TOO_LARGE')).toBe(413);
    expect(errorCodeOfHttpStatus(502)).toBe('INTERNAL');
  });
});
