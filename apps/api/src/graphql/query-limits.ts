import { ApolloArmor } from '@escape.tech/graphql-armor';
import { GraphQLError, type ValidationContext, type ValidationRule } from 'graphql';

export interface GraphqlLimits {
  maxDepth: number;
  maxComplexity: number;
  maxTokens: number;
  maxAliases: number;
  maxDirectives: number;
  /** Developer mode: stack traces in errors and schema introspection. */
  debug: boolean;
}

/** Reports a refusal as a validation error with our code and wording, so Apollo answers HTTP 400. */
const refuse =
  (reason: string, measure: string, max: number) =>
  (context: ValidationContext | null, error: GraphQLError): void => {
    const found = /found (\d+)/.exec(error.message)?.[1] ?? 'more';
    context?.reportError(
      new GraphQLError(`${measure} ${found} exceeds the maximum of ${max}`, {
        extensions: { code: 'INVALID_ARGUMENT', reason },
      }),
    );
  };

/**
 * Structural limits checked while the document is validated, before any resolver or cost
 * estimate runs: depth (fields only, fragments flattened and each walked once), aliases and
 * directives, with graphql-armor's rules. Tokens are counted by the parser itself
 * (`parseOptions.maxTokens`). Cost is estimated by complexity.plugin.ts: armor's cost rule reads
 * only literal `first` arguments, not variables nor the default page size.
 */
export function queryLimitRules(limits: GraphqlLimits): ValidationRule[] {
  const armor = new ApolloArmor({
    blockFieldSuggestion: { enabled: false },
    maxTokens: { enabled: false },
    costLimit: { enabled: false },
    maxDepth: {
      n: limits.maxDepth,
      flattenFragments: true,
      ignoreIntrospection: false,
      propagateOnRejection: false,
      onReject: [refuse('QUERY_TOO_DEEP', 'query depth', limits.maxDepth)],
    },
    maxAliases: {
      n: limits.maxAliases,
      propagateOnRejection: false,
      onReject: [refuse('TOO_MANY_ALIASES', 'aliases', limits.maxAliases)],
    },
    maxDirectives: {
      n: limits.maxDirectives,
      propagateOnRejection: false,
      onReject: [refuse('TOO_MANY_DIRECTIVES', 'directives', limits.maxDirectives)],
    },
  });
  return armor.protect().validationRules as ValidationRule[];
}
