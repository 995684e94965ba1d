import { GraphQLScalarType, Kind, type ValueNode } from 'graphql';

import { checkJsonValue, JSON_MAX_BYTES, JSON_MAX_DEPTH } from './input-limits.js';

function literal(ast: ValueNode): unknown {
  switch (ast.kind) {
    case Kind.STRING:
    case Kind.BOOLEAN:
      return ast.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(ast.value);
    case Kind.OBJECT:
      return Object.fromEntries(ast.fields.map((f) => [f.name.value, literal(f.value)]));
    case Kind.LIST:
      return ast.values.map(literal);
    case Kind.NULL:
      return null;
    default:
      throw new TypeError(`JSON cannot represent ${ast.kind}`);
  }
}

/**
 * Arbitrary JSON (metadata, policies, evidence). Inputs are plain data, refused past
 * JSON_MAX_DEPTH levels or JSON_MAX_BYTES; variables are not re-parsed.
 */
export const JsonScalar = new GraphQLScalarType({
  name: 'JSON',
  description: `Arbitrary JSON value (as input: at most ${JSON_MAX_DEPTH} levels deep and ${JSON_MAX_BYTES / 1024} KiB).`,
  serialize: (value) => value,
  parseValue: (value) => checkJsonValue(value),
  parseLiteral: (ast) => checkJsonValue(literal(ast)),
});
