import { type ApolloServerPlugin } from '@apollo/server';
import { FledgeError } from '@fledge/errors';
import {
  getNullableType,
  isInputObjectType,
  isListType,
  isScalarType,
  type GraphQLArgument,
  type GraphQLInputField,
  type GraphQLInputType,
} from 'graphql';

/** Every JSON input (metadata, policies, endpoint options): nesting and size, checked before use. */
export const JSON_MAX_DEPTH = 32;
export const JSON_MAX_BYTES = 64 * 1024;

/** Longest string any argument or input field takes, unless its field says `maxLength` (extensions). */
export const DEFAULT_MAX_STRING_LENGTH = 4000;

/**
 * Thrown from the JSON scalar. Deliberately not a GraphQLError: graphql-js keeps the extensions
 * (code, reason) of a plain error it wraps while coercing variables, and drops a GraphQLError's.
 */
class JsonInputError extends Error {
  readonly extensions: { code: 'INVALID_ARGUMENT'; reason: string };

  constructor(message: string, reason: string) {
    super(message);
    this.extensions = { code: 'INVALID_ARGUMENT', reason };
  }
}

function jsonRefused(message: string, reason: string): JsonInputError {
  return new JsonInputError(message, reason);
}

export interface JsonProblem {
  reason: 'JSON_TOO_DEEP' | 'JSON_TOO_LARGE' | 'NUL_CHARACTER';
  message: string;
}

/**
 * Walks a JSON value without recursion (a hostile value may be nested thousands deep) and names
 * the first limit it breaks: nesting, size once serialised, or a NUL character (PostgreSQL text
 * and jsonb cannot hold one). Null when the value is fine.
 */
export function jsonProblem(
  value: unknown,
  limits: { maxDepth: number; maxBytes: number } = { maxDepth: JSON_MAX_DEPTH, maxBytes: JSON_MAX_BYTES },
): JsonProblem | null {
  const stack: [unknown, number][] = [[value, 0]];
  let bytes = 0;
  const text = (s: string): JsonProblem | null => {
    bytes += Buffer.byteLength(s) + 2;
    return s.includes('\u0000')
      ? { reason: 'NUL_CHARACTER', message: 'JSON input holds a NUL character (\\u0000)' }
      : null;
  };
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (depth > limits.maxDepth) {
      return { reason: 'JSON_TOO_DEEP', message: `JSON input nested deeper than ${limits.maxDepth} levels` };
    }
    let problem: JsonProblem | null = null;
    if (typeof current === 'string') problem = text(current);
    else if (Array.isArray(current)) {
      bytes += 2;
      for (const item of current) stack.push([item, depth + 1]);
    } else if (current !== null && typeof current === 'object') {
      bytes += 2;
      for (const [key, item] of Object.entries(current)) {
        problem ??= text(key);
        stack.push([item, depth + 1]);
      }
    } else bytes += 8;
    if (problem) return problem;
    if (bytes > limits.maxBytes) {
      return { reason: 'JSON_TOO_LARGE', message: `JSON input larger than ${limits.maxBytes} bytes` };
    }
  }
  return null;
}

/** The JSON scalar's check: throws for graphql-js to report (HTTP 400, our code and reason). */
export function checkJsonValue(value: unknown): unknown {
  const problem = jsonProblem(value);
  if (problem) throw jsonRefused(problem.message, problem.reason);
  return value;
}

function maxLengthOf(field: GraphQLArgument | GraphQLInputField, fallback: number): number {
  const declared = field.extensions?.maxLength;
  return typeof declared === 'number' ? declared : fallback;
}

function checkStrings(value: unknown, type: GraphQLInputType, path: string, maxLength: number): void {
  const nullable = getNullableType(type);
  if (value === null || value === undefined) return;
  if (isListType(nullable)) {
    if (Array.isArray(value))
      value.forEach((item, i) => checkStrings(item, nullable.ofType, `${path}[${i}]`, maxLength));
    return;
  }
  if (isInputObjectType(nullable)) {
    for (const field of Object.values(nullable.getFields())) {
      const nested = (value as Record<string, unknown>)[field.name];
      checkStrings(nested, field.type, `${path}.${field.name}`, maxLengthOf(field, DEFAULT_MAX_STRING_LENGTH));
    }
    return;
  }
  if (isScalarType(nullable) && typeof value === 'string' && value.includes('\u0000')) {
    throw new FledgeError('INVALID_ARGUMENT', `${path} holds a NUL character (\\u0000)`, {
      reason: 'NUL_CHARACTER',
      details: { field: path },
    });
  }
  if (isScalarType(nullable) && typeof value === 'string' && value.length > maxLength) {
    throw new FledgeError('INVALID_ARGUMENT', `${path} is longer than ${maxLength} characters`, {
      reason: 'INPUT_TOO_LONG',
      details: { field: path, maxLength, length: value.length },
    });
  }
}

/**
 * Refuses any string argument or input field longer than its limit (`extensions.maxLength` beside
 * the field, else DEFAULT_MAX_STRING_LENGTH) or holding a NUL character (which PostgreSQL cannot
 * store), naming the field, before the resolver runs. The
 * arguments are checked as the resolver gets them: from variables and literals alike.
 */
export function inputLimitsPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async executionDidStart() {
          return {
            willResolveField({ info, args }) {
              if (Object.keys(args).length === 0) return;
              const definition = info.parentType.getFields()[info.fieldName];
              for (const arg of definition?.args ?? []) {
                checkStrings(args[arg.name], arg.type, arg.name, maxLengthOf(arg, DEFAULT_MAX_STRING_LENGTH));
              }
            },
          };
        },
      };
    },
  };
}
