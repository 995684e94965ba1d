import { FledgeError, type ErrorCode } from '@fledge/errors';

interface ConstraintRule {
  code: ErrorCode;
  reason: string;
  message: string;
}

/** Database constraints whose violation means something to clients (names from the migrations). */
const constraintRules: Record<string, ConstraintRule> = {
  rollouts_one_active_per_endpoint: {
    code: 'CONFLICT',
    reason: 'ROLLOUT_ALREADY_ACTIVE',
    message: 'the endpoint already has an active rollout; wait for it to finish or abort it',
  },
  endpoint_variants_weight_range: {
    code: 'INVALID_ARGUMENT',
    reason: 'VARIANT_WEIGHT_OUT_OF_RANGE',
    message: 'a variant traffic weight must be between 0 and 100',
  },
  endpoint_variants_shadow_sample_rate_range: {
    code: 'INVALID_ARGUMENT',
    reason: 'SHADOW_SAMPLE_RATE_OUT_OF_RANGE',
    message: 'a shadow sample rate must be between 0 and 1',
  },
  endpoint_variants_endpoint_id_model_version_id_key: {
    code: 'CONFLICT',
    reason: 'VARIANT_ALREADY_EXISTS',
    message: 'the endpoint already serves this model version',
  },
  model_versions_model_id_version_key: {
    code: 'CONFLICT',
    reason: 'MODEL_VERSION_TAKEN',
    message: 'this model version number is already taken',
  },
  api_keys_active_name_key: {
    code: 'CONFLICT',
    reason: 'API_KEY_NAME_TAKEN',
    message: 'an active API key already has this name; choose another or revoke that key first',
  },
  dataset_versions_dataset_id_version_key: {
    code: 'CONFLICT',
    reason: 'DATASET_VERSION_TAKEN',
    message: 'this dataset version number is already taken',
  },
};

/** Raised by the deferred trigger of the `*_constraints` migration; its message names endpoint and sum. */
const WEIGHT_SUM_MESSAGE = /^serving variant weights of endpoint \S+ sum to -?\d+, not 100/;

interface DriverCause {
  originalCode?: string;
  originalMessage?: string;
  code?: string;
  message?: string;
  constraint?: { index?: string; fields?: string[] };
}

function driverCause(error: unknown): DriverCause | undefined {
  const e = error as { name?: string; meta?: { driverAdapterError?: { cause?: DriverCause } }; cause?: unknown };
  if (e?.meta?.driverAdapterError?.cause) return e.meta.driverAdapterError.cause;
  // A deferred constraint fails at COMMIT, outside any model operation: Prisma rethrows the bare adapter error.
  if (e?.name === 'DriverAdapterError' && typeof e.cause === 'object') return e.cause as DriverCause;
  return undefined;
}

function constraintName(cause: DriverCause): string | undefined {
  const text = cause.originalMessage ?? cause.message ?? '';
  return cause.constraint?.index ?? /constraint "([^"]+)"/.exec(text)?.[1];
}

/**
 * Turns a Prisma or driver error into a FledgeError when its meaning is known (unique and check
 * violations, missing rows, dangling references); anything else is returned unchanged.
 */
export function translateDbError(error: unknown): unknown {
  if (error instanceof FledgeError) return error;
  const prismaCode = (error as { code?: unknown })?.code;
  const cause = driverCause(error);
  const sqlState = cause?.originalCode ?? cause?.code;
  const text = cause?.originalMessage ?? cause?.message ?? '';

  if (cause && WEIGHT_SUM_MESSAGE.test(text)) {
    return new FledgeError(
      'INVALID_ARGUMENT',
      `${WEIGHT_SUM_MESSAGE.exec(text)![0]}: change all of an endpoint's variants in one transaction`,
      { reason: 'VARIANT_WEIGHTS_NOT_100', cause: error },
    );
  }
  const name = cause ? constraintName(cause) : undefined;
  const rule = name ? constraintRules[name] : undefined;
  if (rule)
    return new FledgeError(rule.code, rule.message, {
      reason: rule.reason,
      details: { constraint: name },
      cause: error,
    });

  if (prismaCode === 'P2002' || sqlState === '23505') {
    const fields = cause?.constraint?.fields;
    return new FledgeError('CONFLICT', `a record with the same ${fields?.join(', ') ?? name ?? 'key'} already exists`, {
      reason: 'ALREADY_EXISTS',
      details: { constraint: name ?? null, fields: fields ?? null },
      cause: error,
    });
  }
  if (prismaCode === 'P2003' || sqlState === '23503') {
    return new FledgeError('INVALID_ARGUMENT', 'a referenced record does not exist', {
      reason: 'REFERENCE_NOT_FOUND',
      details: { constraint: name ?? null },
      cause: error,
    });
  }
  if (sqlState === '23514') {
    return new FledgeError('INVALID_ARGUMENT', `a value violates the database constraint ${name ?? ''}`.trim(), {
      reason: 'CHECK_VIOLATION',
      details: { constraint: name ?? null },
      cause: error,
    });
  }
  if (prismaCode === 'P2025') {
    return new FledgeError('NOT_FOUND', 'the record does not exist', { reason: 'RECORD_NOT_FOUND', cause: error });
  }
  return error;
}

/** Runs `fn`, rethrowing database errors as FledgeErrors where they have a known meaning. */
export async function withDbErrors<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw translateDbError(error);
  }
}
