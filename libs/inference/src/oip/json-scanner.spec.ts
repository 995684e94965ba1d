import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';

import { fuzzParameters } from '../../test/fuzz.util.js';
import { MAX_JSON_DEPTH, parseJsonBytes, scanJsonBytes } from './json-scanner.js';

// Arrays of numbers come back as Float64Array; compare them as plain arrays.
const plain = (v: unknown): unknown =>
  v instanceof Float64Array
    ? Array.from(v)
    : Array.isArray(v)
      ? v.map(plain)
      : v && typeof v === 'object'
        ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]))
        : v;
const parse = (text: string) => plain(parseJsonBytes(Buffer.from(text, 'utf8')));

describe('parseJsonBytes', () => {
  it('parses what JSON.parse parses, to the same values', () => {
    const docs = [
      '{"inputs":[{"name":"pixels","shape":[1,4],"datatype":"FP32","data":[0,0.5,-1.25,3e-7]}]}',
      '[1,-0,0.1,0.2,0.30000000000000004,1e22,1e23,123456789012345678,5e-324,1.7976931348623157e308,-2.5E+3]',
      '{"a":"caf\\u00e9 \\"quoted\\" \\n","b":"ünïcode","c":true,"d":false,"e":null,"f":{},"g":[]}',
      '  { "spaced" : [ 1 , 2 ] , "nested" : [[1,2],[3,4]] }  ',
      '0.529411792755127',
      '"just a string"',
    ];
    for (const d of docs) expect(parse(d)).toEqual(JSON.parse(d));
  });

  it('rounds float32 and double literals exactly like JSON.parse', () => {
    const finite = fc.double({ noNaN: true, noDefaultInfinity: true });
    const value = fc.oneof(
      finite,
      finite.map((x) => Math.fround(x)).filter(Number.isFinite),
      finite.map((x) => Number(x.toPrecision(7))),
      fc.integer({ min: -6, max: 6 }).chain((e) => fc.double({ min: -1, max: 1, noNaN: true }).map((x) => x * 10 ** e)),
    );
    fc.assert(
      fc.property(fc.array(value, { maxLength: 64 }), (values) => {
        const text = JSON.stringify(values);
        expect(parse(text)).toEqual(JSON.parse(text));
      }),
      fuzzParameters('json-scanner numbers', 300),
    );
  });

  it('bounds nesting: 128 levels parse, deeper is a client error (not a stack overflow)', () => {
    const nested = (depth: number, open: string, close: string, leaf: string) =>
      open.repeat(depth) + leaf + close.repeat(depth);
    expect(() => parse(nested(MAX_JSON_DEPTH, '[', ']', '1'))).not.toThrow();
    expect(() => parse(nested(MAX_JSON_DEPTH - 1, '{"a":', '}', '[1]'))).not.toThrow();
    for (const text of [
      nested(MAX_JSON_DEPTH + 1, '[', ']', '1'),
      nested(3000, '[', ']', '1'),
      nested(5000, '{"a":', '}', '1'),
      nested(100_000, '[', ']', ''),
      '{"x":' + nested(3000, '[{"y":', '}]', 'null') + '}',
    ]) {
      expect(() => parse(text)).toThrow(
        expect.objectContaining({
          code: 'INVALID_ARGUMENT',
          reason: 'JSON_TOO_DEEP',
          message: expect.stringMatching(/nested deeper than 128 levels/),
        }),
      );
    }
  });

  it('refuses literals beyond the double range instead of reading Infinity', () => {
    for (const bad of ['1e999', '[-1e999]', '[1,2,1e400]', '{"a":[1e309]}', '123e456789012']) {
      expect(() => parse(bad)).toThrow(expect.objectContaining({ reason: 'NUMBER_OUT_OF_RANGE' }));
    }
    expect(parse('[1e-999, 0e1000000, 1.7976931348623157e308]')).toEqual([0, 0, 1.7976931348623157e308]);
  });

  it('rejects malformed documents with the byte position', () => {
    for (const bad of [
      '{"a":1',
      '{"a" 1}',
      '[1,2,]',
      '[01]',
      '{"a":tru}',
      '[1] x',
      '',
      '[.5]',
      '{"a":"\\x"}',
      '[-]',
      '[NaN]',
      '[Infinity]',
      '[-Infinity]',
      '[1,NaN]',
    ]) {
      expect(() => parse(bad)).toThrow(expect.objectContaining({ reason: 'MALFORMED_JSON' }));
    }
  });

  it('returns number-only arrays as Float64Array and mixed arrays as plain arrays', () => {
    const v = parseJsonBytes(Buffer.from('{"a":[1,2.5,-3],"b":[1,"x",2],"c":[[1,2],[3]]}')) as Record<string, unknown>;
    expect(v.a).toEqual(Float64Array.of(1, 2.5, -3));
    expect(v.b).toEqual([1, 'x', 2]);
    expect((v.c as unknown[]).map((r) => Array.from(r as Float64Array))).toEqual([[1, 2], [3]]);
    const long = Array.from({ length: 10_000 }, (_, i) => i / 7);
    expect(Array.from(parseJsonBytes(Buffer.from(JSON.stringify(long))) as Float64Array)).toEqual(long);
  });

  it('stops at the given length (binary data extension)', () => {
    const bytes = Buffer.concat([Buffer.from('{"n":12}'), Buffer.from([0x33, 0x34, 0xff])]);
    expect(parseJsonBytes(bytes, 8)).toEqual({ n: 12 });
  });

  it('does not let __proto__ keys pollute prototypes', () => {
    const v = parse('{"__proto__":{"polluted":1}}') as Record<string, unknown>;
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
  });

  // parseJsonBytes hands bodies with a literal its scanner cannot read fast (16-17 digits,
  // exponents) to JSON.parse; the byte scanner alone is the reference for values and errors.
  describe('the JSON.parse path gives what the byte scanner alone gives', () => {
    const LONG = '0.10000000149011612';
    // Keeps Float64Array apart from plain arrays of numbers.
    const tagged = (v: unknown): unknown =>
      v instanceof Float64Array
        ? { f64: Array.from(v) }
        : Array.isArray(v)
          ? v.map(tagged)
          : v && typeof v === 'object'
            ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, tagged(x)]))
            : v;
    const outcome = (f: () => unknown) => {
      try {
        return { value: tagged(f()) };
      } catch (e) {
        const { code, reason, message } = e as { code: string; reason: string; message: string };
        return { error: { code, reason, message } };
      }
    };
    const same = (text: string) => {
      const bytes = Buffer.from(text, 'utf8');
      expect(outcome(() => parseJsonBytes(bytes))).toEqual(outcome(() => scanJsonBytes(bytes, bytes.length)));
    };

    it('for bad bodies whose first fault comes after a long literal (same reason, message and byte)', () => {
      const cases = [
        `[${LONG},1e999]`,
        `{"a":[${LONG}],"b":[1e400]}`,
        `[${LONG},1,]`,
        `{"a":[${LONG}],"b":tru}`,
        `[${LONG}] x`,
        `[${LONG},NaN]`,
        `{"a":[${LONG}],"b":"\\x"}`,
        `[${LONG},${'['.repeat(MAX_JSON_DEPTH)}1${']'.repeat(MAX_JSON_DEPTH)}]`,
        `[${LONG},${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}]`,
        `[${LONG},${'['.repeat(100_000)}${']'.repeat(100_000)}]`,
      ];
      for (const text of cases) {
        expect(outcome(() => parseJsonBytes(Buffer.from(text)))).toHaveProperty('error');
        same(text);
      }
    });

    it('for good bodies, including deep ones at the limit and many nested rows', () => {
      same(`[${LONG},${'['.repeat(MAX_JSON_DEPTH - 1)}1${']'.repeat(MAX_JSON_DEPTH - 1)}]`);
      same(JSON.stringify({ rows: Array.from({ length: 300 }, (_, i) => [Math.fround(i / 7), i, -0]) }));
      same(`{"__proto__":{"polluted":[${LONG}]},"x":"caf\\u00e9 ünï","e":[1e-999,-0.0,${LONG}]}`);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    it('for generated documents and corruptions of them', () => {
      const long = fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => Math.fround(x));
      const doc = fc.letrec((tie) => ({
        value: fc.oneof(
          { depthSize: 'small' },
          long,
          fc.jsonValue({ maxDepth: 2 }),
          fc.array(long, { maxLength: 8 }),
          fc.array(tie('value'), { maxLength: 4 }),
          fc.dictionary(fc.string({ maxLength: 4 }), tie('value'), { maxKeys: 4 }),
        ),
      })).value;
      const corrupt = fc.tuple(fc.nat(), fc.constantFrom('', ',', ']', '}', '"', '1e999', 'x', '\\', '[', '-'));
      fc.assert(
        fc.property(doc, fc.option(corrupt), (value, cut) => {
          let text = JSON.stringify(value) ?? 'null';
          if (cut) {
            const at = cut[0] % (text.length + 1);
            text = text.slice(0, at) + cut[1] + text.slice(at + 1);
          }
          same(text);
        }),
        fuzzParameters('json-scanner paths', 300),
      );
    });
  });
});
