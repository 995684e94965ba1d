import { FledgeError } from '@fledge/errors';

interface AwsFailure {
  name?: string;
  message?: string;
  $fault?: 'client' | 'server';
  $retryable?: unknown;
  $metadata?: { httpStatusCode?: number; requestId?: string; attempts?: number };
}

const CREDENTIAL_ERRORS = new Set([
  'CredentialsProviderError',
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'ExpiredTokenException',
  'ExpiredToken',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'InvalidAccessKeyId',
]);
const PERMISSION_ERRORS = new Set(['AccessDeniedException', 'AccessDenied', 'AuthorizationError']);
const THROTTLING_ERRORS = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'SlowDown',
]);

/** The settings a user fixes when AWS does not accept who Fledge is. */
export const CREDENTIAL_SETTINGS = 'AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (or AWS_PROFILE, or an instance/task role)';

export function awsErrorName(error: unknown): string | undefined {
  return (error as AwsFailure | undefined)?.name;
}

/**
 * An AWS SDK error as a FledgeError whose message keeps AWS's own words. Reaches here only after the
 * SDK's retry strategy gave up (throttling, 5xx) or decided not to retry (validation). Validation,
 * quota, credential and permission errors are business failures (not retried by the workflow
 * either); throttling, 5xx and network errors stay UNAVAILABLE (retried).
 */
export function fromAwsError(error: unknown, action: string): FledgeError {
  if (error instanceof FledgeError) return error;
  const failure = (error ?? {}) as AwsFailure;
  const name = failure.name ?? 'Error';
  const aws = failure.message ?? String(error);
  const status = failure.$metadata?.httpStatusCode;
  const details = {
    awsError: name,
    ...(status !== undefined && { httpStatus: status }),
    ...(failure.$metadata?.requestId && { requestId: failure.$metadata.requestId }),
    ...(failure.$metadata?.attempts !== undefined && { attempts: failure.$metadata.attempts }),
  };
  const fail = (code: FledgeError['code'], reason: string, message: string) =>
    new FledgeError(code, message, { reason, details, cause: error });

  if (CREDENTIAL_ERRORS.has(name)) {
    return fail(
      'FAILED_PRECONDITION',
      'AWS_CREDENTIALS',
      `${action}: AWS did not accept the credentials (${name}: ${aws}); check ${CREDENTIAL_SETTINGS}`,
    );
  }
  if (PERMISSION_ERRORS.has(name)) {
    return fail('FAILED_PRECONDITION', 'AWS_ACCESS_DENIED', `${action}: ${name}: ${aws}`);
  }
  if (name === 'ValidationException' || name === 'InvalidParameterValue' || name === 'InvalidParameter') {
    return fail('INVALID_ARGUMENT', 'AWS_VALIDATION', `${action}: ${aws}`);
  }
  if (name === 'ResourceLimitExceeded' || name === 'LimitExceededException') {
    return fail('FAILED_PRECONDITION', 'AWS_LIMIT_EXCEEDED', `${action}: ${aws}`);
  }
  if (name === 'ResourceNotFound' || name === 'ResourceNotFoundException' || name === 'NoSuchBucket') {
    return fail('NOT_FOUND', 'AWS_NOT_FOUND', `${action}: ${aws}`);
  }
  if (THROTTLING_ERRORS.has(name) || failure.$fault === 'server' || (status !== undefined && status >= 500)) {
    return fail('UNAVAILABLE', 'AWS_UNAVAILABLE', `${action}: AWS is throttling or failing (${name}: ${aws})`);
  }
  if (status === undefined) {
    return fail('UNAVAILABLE', 'AWS_UNREACHABLE', `${action}: AWS did not answer (${name}: ${aws})`);
  }
  return fail('FAILED_PRECONDITION', 'AWS_REFUSED', `${action}: ${name}: ${aws}`);
}

/** Runs one AWS call and turns its failure into a FledgeError naming the action. */
export async function aws<T>(action: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw fromAwsError(error, action);
  }
}
