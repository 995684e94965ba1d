import { type ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, type GraphQLSchema } from 'graphql';
import { fieldExtensionsEstimator, getComplexity, type ComplexityEstimator } from 'graphql-query-complexity';

import { DEFAULT_PAGE_SIZE } from '../common/connection.js';

/** The arguments that size a list: connections take `first`, short lists a `limit`. */
const PAGE_ARGUMENTS = ['first', 'limit'];

/**
 * A paged field costs its children times the page the service will really return: the client's
 * `first`/`limit`, or the service's default page when the client leaves it out (never 1).
 */
const pageEstimator: ComplexityEstimator = ({ field, args, childComplexity }) => {
  const sizing = field.args.find((a) => PAGE_ARGUMENTS.includes(a.name));
  if (!sizing) return undefined;
  const asked = args[sizing.name];
  const size = typeof asked === 'number' ? asked : DEFAULT_PAGE_SIZE;
  return 1 + childComplexity * Math.max(1, size);
};

const defaultEstimator: ComplexityEstimator = ({ childComplexity }) => 1 + childComplexity;

export function queryRefused(message: string, reason: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'INVALID_ARGUMENT', reason, http: { status: 400 } } });
}

/**
 * Refuses operations whose estimated cost exceeds `maxComplexity` before anything resolves.
 * Every field costs at least 1, so a document that expands (through fragments) to more selections
 * than the budget allows cannot fit it either: the walk stops there, which bounds its time.
 */
export function complexityPlugin(schema: () => GraphQLSchema, maxComplexity: number): ApolloServerPlugin {
  const maxQueryNodes = Math.max(2 * maxComplexity, 1000);
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document }) {
          let complexity: number;
          try {
            complexity = getComplexity({
              schema: schema(),
              query: document,
              operationName: request.operationName,
              variables: request.variables,
              maxQueryNodes,
              estimators: [fieldExtensionsEstimator(), pageEstimator, defaultEstimator],
            });
          } catch (error) {
            if (/maximum allowed number of nodes/.test((error as Error).message)) {
              throw queryRefused(
                `the query expands to more than ${maxQueryNodes} selections; its cost exceeds the maximum of ${maxComplexity}`,
                'QUERY_TOO_COMPLEX',
              );
            }
            // Bad variable values surface here first; they are the client's mistake (and a scalar
            // of ours may have said why, e.g. JSON_TOO_DEEP).
            const { extensions, originalError } = error as GraphQLError;
            const reason = extensions?.reason ?? (originalError as GraphQLError | undefined)?.extensions?.reason;
            throw queryRefused((error as Error).message, typeof reason === 'string' ? reason : 'BAD_USER_INPUT');
          }
          if (complexity > maxComplexity) {
            throw queryRefused(
              `query complexity ${complexity} exceeds the maximum of ${maxComplexity}`,
              'QUERY_TOO_COMPLEX',
            );
          }
        },
      };
    },
  };
}
