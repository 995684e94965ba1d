import { type ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, type GraphQLSchema } from 'graphql';
import { fieldExtensionsEstimator, getComplexity, type ComplexityEstimator } from 'graphql-query-complexity';

/** A list field costs its children times the page size the client asked for. */
const connectionEstimator: ComplexityEstimator = ({ args, childComplexity }) => {
  const first = typeof args.first === 'number' ? args.first : typeof args.last === 'number' ? args.last : undefined;
  return first === undefined ? undefined : 1 + childComplexity * Math.max(1, first);
};

const defaultEstimator: ComplexityEstimator = ({ childComplexity }) => 1 + childComplexity;

/** Refuses operations whose estimated cost exceeds `maxComplexity` before anything resolves. */
export function complexityPlugin(schema: () => GraphQLSchema, maxComplexity: number): ApolloServerPlugin {
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
              estimators: [fieldExtensionsEstimator(), connectionEstimator, defaultEstimator],
            });
          } catch (error) {
            // Bad variable values surface here first; they are the client's mistake.
            throw new GraphQLError((error as Error).message, {
              extensions: { code: 'INVALID_ARGUMENT', reason: 'BAD_USER_INPUT' },
            });
          }
          if (complexity > maxComplexity) {
            throw new GraphQLError(`query complexity ${complexity} exceeds the maximum of ${maxComplexity}`, {
              extensions: { code: 'INVALID_ARGUMENT', reason: 'QUERY_TOO_COMPLEX' },
            });
          }
        },
      };
    },
  };
}
