import { describe, expect, it } from '@jest/globals';

import { FledgeError } from '@fledge/errors';

import { translateDbError } from './db-errors.js';

/** The shapes Prisma 7 produced against PostgreSQL and PGlite (copied from real failures). */
const known = (code: string, cause: Record<string, unknown>) =>
  Object.assign(new Error('Invalid invocation'), {
    name: 'PrismaClientKnownRequestError',
    code,
    meta: { driverAdapterError: { name: 'DriverAdapterError', cause } },
  });

describe(translateDbError.name, () => {
  it('maps the one-active-rollout index to CONFLICT, by index name or from the message (PGlite)', () => {
    const pg = known('P2002', {
      originalCode: '23505',
      originalMessage: 'duplicate key value violates unique constraint "rollouts_one_active_per_endpoint"',
      kind: 'UniqueConstraintViolation',
      constraint: { index: 'rollouts_one_active_per_endpoint' },
    });
    const pglite = known('P2002', {
      originalCode: '23505',
      originalMessage: 'duplicate key value violates unique constraint "rollouts_one_active_per_endpoint"',
      kind: 'UniqueConstraintViolation',
      constraint: { fields: ['endpoint_id'] },
    });
    for (const error of [pg, pglite]) {
      expect(translateDbError(error)).toMatchObject({ code: 'CONFLICT', reason: 'ROLLOUT_ALREADY_ACTIVE' });
    }
  });

  it('maps other unique violations to CONFLICT naming the fields', () => {
    const error = translateDbError(
      known('P2002', {
        originalCode: '23505',
        originalMessage: 'duplicate key value violates unique constraint "models_name_key"',
        constraint: { fields: ['name'] },
      }),
    ) as FledgeError;
    expect(error).toBeInstanceOf(FledgeError);
    expect(error).toMatchObject({
      code: 'CONFLICT',
      reason: 'ALREADY_EXISTS',
      message: expect.stringContaining('name'),
    });
  });

  it('maps the deferred weight-sum failure raised at COMMIT (a bare adapter error)', () => {
    const atCommit = Object.assign(new Error('serving variant weights of endpoint e1 sum to 90, not 100'), {
      name: 'DriverAdapterError',
      cause: {
        kind: 'postgres',
        code: '23514',
        message: 'serving variant weights of endpoint 0195-ab sum to 90, not 100',
      },
    });
    expect(translateDbError(atCommit)).toMatchObject({
      code: 'INVALID_ARGUMENT',
      reason: 'VARIANT_WEIGHTS_NOT_100',
      message: expect.stringContaining('sum to 90'),
    });
  });

  it('maps CHECK violations, missing rows and dangling references; leaves the rest alone', () => {
    const check = known('P2039', {
      originalCode: '23514',
      originalMessage:
        'new row for relation "endpoint_variants" violates check constraint "endpoint_variants_weight_range"',
      code: '23514',
    });
    expect(translateDbError(check)).toMatchObject({ code: 'INVALID_ARGUMENT', reason: 'VARIANT_WEIGHT_OUT_OF_RANGE' });
    expect(translateDbError(Object.assign(new Error('x'), { code: 'P2025', meta: {} }))).toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(
      translateDbError(
        known('P2003', { originalCode: '23503', constraint: { index: 'model_versions_model_id_fkey' } }),
      ),
    ).toMatchObject({ code: 'INVALID_ARGUMENT', reason: 'REFERENCE_NOT_FOUND' });
    const other = new Error('connection reset');
    expect(translateDbError(other)).toBe(other);
  });
});
