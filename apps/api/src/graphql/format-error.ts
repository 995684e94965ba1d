import { type ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { FledgeError, isErrorCode, redactInternals } from '@fledge/errors';
import { type GraphQLError, type GraphQLFormattedError } from 'graphql';

interface ErrorLogger {
  error(object: Record<string, unknown>, message: string): void;
}

/** Apollo's own codes for requests that never reached a resolver: all are the client's mistake. */
const clientErrorCodes = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'BAD_REQUEST',
]);

/** Errors the client caused or that carry our own code: they are answered as they are, not logged. */
export function isKnownError(error: unknown): boolean {
  const original = unwrapResolverError(error);
  if (original instanceof FledgeError) return true;
  const code = (error as GraphQLError)?.extensions?.code;
  return isErrorCode(code) || (typeof code === 'string' && clientErrorCodes.has(code));
}

/**
 * The one GraphQL error edge: FledgeErrors pass through with their code, reason and details;
 * request errors (parse, validation, bad variables) become INVALID_ARGUMENT; anything else becomes
 * a generic INTERNAL (logged by the plugin below with the request id, never sent to the client).
 * Every answer is built afresh, so nothing else a library put into `extensions` reaches the client;
 * stack traces only in developer mode (`debug`), whatever NODE_ENV says. Messages lose any native
 * source locations and absolute paths they carry.
 */
export function graphqlErrorFormatter(options: { debug: boolean }) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const answer = clientView(formatted, error);
    const stacktrace = formatted.extensions?.stacktrace;
    if (!options.debug || stacktrace === undefined) return answer;
    return { ...answer, extensions: { ...answer.extensions, stacktrace } };
  };
}

function clientView(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  const where = {
    ...(formatted.locations ? { locations: formatted.locations } : {}),
    ...(formatted.path ? { path: formatted.path } : {}),
  };
  if (original instanceof FledgeError) {
    return {
      message: redactInternals(original.message),
      ...where,
      extensions: { code: original.code, reason: original.reason, details: original.details },
    };
  }
  const code = formatted.extensions?.code;
  if (isErrorCode(code)) {
    const reason = formatted.extensions?.reason;
    return {
      message: redactInternals(formatted.message),
      ...where,
      extensions: { code, reason: typeof reason === 'string' ? reason : code, details: {} },
    };
  }
  if (typeof code === 'string' && clientErrorCodes.has(code)) {
    // Apollo recodes every validation error; a rule of ours said why in `reason`.
    const reason = formatted.extensions?.reason;
    return {
      message: redactInternals(formatted.message),
      ...where,
      extensions: { code: 'INVALID_ARGUMENT', reason: typeof reason === 'string' ? reason : code, details: {} },
    };
  }
  return {
    message: 'Internal error. The request id in the x-request-id response header identifies it in the logs.',
    ...(formatted.path ? { path: formatted.path } : {}),
    extensions: { code: 'INTERNAL', reason: 'INTERNAL', details: {} },
  };
}

/** Logs every error that graphqlErrorFormatter hides, with the request id, so nothing is lost. */
export function errorLoggingPlugin(logger: ErrorLogger): ApolloServerPlugin<{ req?: { id?: unknown } }> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, contextValue, operationName }) {
          for (const error of errors) {
            if (isKnownError(error)) continue;
            const original = unwrapResolverError(error);
            logger.error(
              { err: original, requestId: contextValue.req?.id, operationName, path: error.path },
              'unhandled error in GraphQL request',
            );
          }
        },
      };
    },
  };
}
