import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';

import { fuzzParameters } from '../../test/fuzz.util.js';
import { MAX_JSON_DEPTH, parseJsonBytes } from './json-scanner.js';

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
});
