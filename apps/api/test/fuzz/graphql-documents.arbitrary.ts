import fc from 'fast-check';
import {
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';

/**
 * Arbitrary GraphQL requests built from the published schema: mostly near-valid documents (real
 * fields, random aliases, arguments of the right and the wrong types, variables, named and inline
 * fragments, fragment chains that spread the next one twice, directives, deep nesting, huge
 * strings, deep JSON), plus plain garbage and documents with random damage.
 */
export interface FuzzRequest {
  query: unknown;
  variables?: unknown;
  operationName?: unknown;
  /** Send this instead of a JSON body (e.g. broken JSON). */
  rawBody?: string;
}

const identifier = fc.stringMatching(/^[_A-Za-z][_0-9A-Za-z]{0,12}$/);
const hugeString = fc.integer({ min: 1_000, max: 120_000 }).map((n) => 'x'.repeat(n));
const nastyString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  hugeString,
  fc.constantFrom('', ' ', '\u0000', '\ud800', '../../etc/passwd', '%E0%A4%A', 'null', '{}', 'fledge_aaaaaaaaaaaa_x'),
);
const nastyInt = fc.oneof(fc.integer(), fc.constantFrom(0, -1, 1, 20, 100, 101, 2 ** 31 - 1, -(2 ** 31)));
const outOfRangeInt = fc.constantFrom(2 ** 31, 2 ** 53, 1e300);

function deepJson(levels: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < levels; i++) value = i % 2 ? [value] : { a: value };
  return value;
}

const jsonish: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
  { weight: 1, arbitrary: fc.integer({ min: 30, max: 1000 }).map(deepJson) },
  { weight: 1, arbitrary: fc.dictionary(identifier, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 30 }) },
);

/** A JS value for an input type: usually of that type, sometimes of another. */
function valueFor(type: GraphQLInputType, depth: number): fc.Arbitrary<unknown> {
  const nullable = getNullableType(type) as GraphQLInputType;
  const wrong = fc.oneof(fc.constant(null), nastyString, outOfRangeInt, fc.boolean(), fc.constant([]), fc.constant({}));
  let right: fc.Arbitrary<unknown>;
  if (isListType(nullable)) {
    right = depth <= 0 ? fc.constant([]) : fc.array(valueFor(nullable.ofType, depth - 1), { maxLength: 4 });
  } else if (isInputObjectType(nullable)) {
    const fields = Object.values(nullable.getFields());
    right =
      depth <= 0
        ? fc.constant({})
        : fc.record(Object.fromEntries(fields.map((f) => [f.name, valueFor(f.type, depth - 1)])), {
            requiredKeys: fields.filter((f) => isNonNullType(f.type)).map((f) => f.name),
          });
  } else if (isEnumType(nullable)) {
    right = fc.constantFrom(...nullable.getValues().map((v) => v.name));
  } else if (isScalarType(nullable)) {
    right =
      nullable.name === 'Int'
        ? nastyInt
        : nullable.name === 'Float'
          ? fc.double()
          : nullable.name === 'Boolean'
            ? fc.boolean()
            : nullable.name === 'JSON'
              ? jsonish
              : nullable.name === 'ID'
                ? fc.oneof(fc.uuid(), nastyString)
                : nastyString;
  } else {
    right = wrong;
  }
  // Mostly of the right type, so that many documents get past validation to the resolvers.
  return fc.oneof({ weight: 30, arbitrary: right }, { weight: 1, arbitrary: wrong });
}

/** A GraphQL literal for a JS value of an input type (enum values bare, strings JSON-escaped). */
function literal(value: unknown, type: GraphQLInputType | null): string {
  const nullable = type ? (getNullableType(type) as GraphQLInputType) : null;
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') {
    return nullable && isEnumType(nullable) && /^[_A-Za-z]\w*$/.test(value) ? value : JSON.stringify(value);
  }
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '0';
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    const item = nullable && isListType(nullable) ? nullable.ofType : null;
    return `[${value.map((v) => literal(v, item)).join(', ')}]`;
  }
  const fields = nullable && isInputObjectType(nullable) ? nullable.getFields() : {};
  return `{${Object.entries(value as Record<string, unknown>)
    .map(([k, v]) => `${/^[_A-Za-z]\w*$/.test(k) ? k : 'bad_key'}: ${literal(v, fields[k]?.type ?? null)}`)
    .join(', ')}}`;
}

function typeString(type: GraphQLInputType): string {
  return String(type);
}

interface Built {
  text: string;
  variables: Record<string, unknown>;
  declarations: string[];
}

const merge = (parts: Built[], join = ' '): Built => ({
  text: parts.map((p) => p.text).join(join),
  variables: Object.assign({}, ...parts.map((p) => p.variables)),
  declarations: parts.flatMap((p) => p.declarations),
});

let variableCounter = 0;

function argumentsFor(field: GraphQLField<unknown, unknown>): fc.Arbitrary<Built> {
  if (field.args.length === 0) return fc.constant({ text: '', variables: {}, declarations: [] });
  return fc
    .tuple(
      ...field.args.map((arg) =>
        fc
          .tuple(
            fc.constantFrom('omit', 'literal', 'variable', 'literal'),
            valueFor(arg.type, 3),
            fc.integer({ min: 0, max: 7 }).map((n) => n === 0),
          )
          .map(([how, value, declareWrong]): Built | null => {
            if (how === 'omit' && !isNonNullType(arg.type)) return null;
            if (how === 'variable') {
              const name = `v${variableCounter++}`;
              const declared = declareWrong ? 'String' : typeString(arg.type);
              return {
                text: `${arg.name}: $${name}`,
                variables: { [name]: value },
                declarations: [`$${name}: ${declared}`],
              };
            }
            return { text: `${arg.name}: ${literal(value, arg.type)}`, variables: {}, declarations: [] };
          }),
      ),
    )
    .map((parts) => {
      const present = parts.filter((p): p is Built => p !== null);
      if (present.length === 0) return { text: '', variables: {}, declarations: [] };
      const joined = merge(present, ', ');
      return { ...joined, text: `(${joined.text})` };
    });
}

const directive = fc.oneof(
  { weight: 30, arbitrary: fc.constant('') },
  { weight: 2, arbitrary: fc.constantFrom(' @include(if: true)', ' @skip(if: false)', ' @skip(if: true)') },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      ' @include(if: true)',
      ' @skip(if: false)',
      ' @skip(if: true)',
      ' @deprecated',
      ' @nope',
    ),
  },
);

/** Named fragments by the type they are on: a spread is placed only where its type fits. */
type Fragments = Record<string, string[]>;

function selectionFor(type: GraphQLObjectType, depth: number, fragments: Fragments): fc.Arbitrary<Built> {
  const fields = Object.values(type.getFields());
  const fieldSelection = fc.constantFrom(...fields).chain((field) => {
    const target = getNamedType(field.type);
    const sub: fc.Arbitrary<Built | null> =
      isObjectType(target) && depth > 0
        ? selectionFor(target, depth - 1, fragments).map((b) => ({ ...b, text: `{ ${b.text} }` }))
        : isObjectType(target)
          ? fc.constant(null)
          : fc.constant({ text: '', variables: {}, declarations: [] });
    return fc
      .tuple(fc.option(identifier, { freq: 4 }), argumentsFor(field), sub, directive)
      .map(([alias, args, inner, dir]) =>
        inner === null
          ? { text: '__typename', variables: {}, declarations: [] }
          : merge([
              {
                text: `${alias ? `${alias}: ` : ''}${field.name}${args.text}${dir}`,
                variables: args.variables,
                declarations: args.declarations,
              },
              inner,
            ]),
      );
  });
  const extras: fc.Arbitrary<Built>[] = [
    fc.constant({ text: '__typename', variables: {}, declarations: [] }),
    fc
      .integer({ min: 0, max: 9 })
      .map((n) => ({ text: n === 0 ? 'notAField' : '__typename', variables: {}, declarations: [] })),
  ];
  const spreads = fragments[type.name] ?? [];
  if (spreads.length > 0)
    extras.push(fc.constantFrom(...spreads).map((f) => ({ text: `...${f}`, variables: {}, declarations: [] })));
  const one = fc.oneof(
    { weight: 20, arbitrary: fieldSelection },
    ...extras.map((arbitrary) => ({ weight: 1, arbitrary })),
  );
  return fc.array(one, { minLength: 1, maxLength: 4 }).map((parts) => merge(parts));
}

/** Fragments F0..Fn on one type, each spreading the next twice (the fragment bomb), sometimes with fields. */
const fragmentChain = (typeName: string) =>
  fc.integer({ min: 1, max: 40 }).map((n) => {
    const defs = Array.from({ length: n }, (_, i) => `fragment F${i} on ${typeName} { ...F${i + 1} ...F${i + 1} }`);
    return { root: 'F0', text: `${defs.join('\n')}\nfragment F${n} on ${typeName} { __typename }` };
  });

function documentFor(schema: GraphQLSchema): fc.Arbitrary<FuzzRequest> {
  const roots = [schema.getQueryType()!, schema.getMutationType()!];
  const objectTypes = Object.values(schema.getTypeMap()).filter(
    (t): t is GraphQLObjectType => isObjectType(t) && !t.name.startsWith('__') && !roots.includes(t),
  );
  return fc
    .record({
      root: fc.constantFrom(...roots),
      depth: fc.integer({ min: 0, max: 14 }),
      fragmentType: fc.constantFrom(...objectTypes),
      withChain: fc.boolean(),
      operationName: fc.option(identifier, { freq: 3 }),
    })
    .chain(({ root, depth, fragmentType, withChain, operationName }) =>
      fc
        .tuple(fragmentChain(fragmentType.name), selectionFor(fragmentType, Math.min(depth, 3), {}), fc.boolean())
        .chain(([chain, plain, useChain]) => {
          const fragmentDefs = withChain ? chain.text : `fragment P on ${fragmentType.name} { ${plain.text} }`;
          const names = withChain ? [chain.root] : ['P'];
          return selectionFor(root, depth, useChain ? { [fragmentType.name]: names } : {}).map((selection) => {
            const declarations = [...selection.declarations, ...(withChain ? [] : plain.declarations)];
            const keyword = root === schema.getMutationType() ? 'mutation' : 'query';
            const header = `${keyword}${operationName ? ` ${operationName}` : ''}${declarations.length ? `(${declarations.join(', ')})` : ''}`;
            return {
              query: `${header} { ${selection.text} }\n${selection.text.includes(`...${names[0]}`) ? fragmentDefs : ''}`,
              variables: { ...selection.variables, ...(withChain ? {} : plain.variables) },
              operationName: operationName ?? undefined,
            };
          });
        }),
    );
}

/** Takes a document and damages it: cuts, duplicates or inserts characters. */
const damaged = (document: fc.Arbitrary<FuzzRequest>) =>
  fc
    .tuple(document, fc.nat(), fc.nat(), fc.string({ unit: 'binary', maxLength: 8 }))
    .map(([request, at, length, insert]) => {
      const text = String(request.query);
      const cut = at % (text.length + 1);
      return { ...request, query: text.slice(0, cut) + insert + text.slice(cut + (length % 20)) };
    });

const garbage: fc.Arbitrary<FuzzRequest> = fc.oneof(
  fc.record({ query: fc.string({ unit: 'binary', maxLength: 300 }) }),
  fc.record({
    query: fc.oneof(fc.constant(null), fc.integer(), fc.constant([]), fc.object()),
    variables: fc.jsonValue(),
  }),
  fc.record({
    query: fc.constant('{ health { status } }'),
    variables: fc.oneof(fc.string(), fc.integer(), fc.constant([1])),
  }),
  fc.record({
    query: fc.constant('{ health { status } }'),
    rawBody: fc.oneof(fc.string({ maxLength: 200 }), fc.constant('{"query": "{ health'), fc.constant('['.repeat(5000))),
  }),
  fc.record({ query: hugeString.map((s) => `{ ${s} }`) }),
  fc.record({
    query: fc.integer({ min: 100, max: 20_000 }).map((n) => `{ health ${'{ status '.repeat(n)}${'}'.repeat(n)} }`),
  }),
);

export function fuzzRequests(schema: GraphQLSchema): fc.Arbitrary<FuzzRequest> {
  const document = documentFor(schema);
  return fc.oneof(
    { weight: 6, arbitrary: document },
    { weight: 2, arbitrary: damaged(document) },
    { weight: 2, arbitrary: garbage },
  );
}
