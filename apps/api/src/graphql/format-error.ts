import { type ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { FledgeError, isErrorCode } from '@fledge/errors';
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
 */
export function formatGraphqlError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  if (original instanceof FledgeError) {
    return {
      message: original.message,
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: original.code, reason: original.reason, details: original.details },
    };
  }
  const code = formatted.extensions?.code;
  if (isErrorCode(code)) return formatted;
  if (typeof code === 'string' && clientErrorCodes.has(code)) {
    return {
      message: formatted.message,
      locations: formatted.locations,
      extensions: { code: 'INVALID_ARGUMENT', reason: code },
    };
  }
  return {
    message: 'Internal error. The request id in the x-request-id response header identifies it in the logs.',
    path: formatted.path,
    extensions: { code: 'INTERNAL' },
  };
}

/** Logs every error that formatGraphqlError hides, with the request id, so nothing is lost. */
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
