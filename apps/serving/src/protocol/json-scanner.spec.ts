import { describe, expect, it } from '@jest/globals';

import { parseJsonBytes } from './json-scanner.js';

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

  it('rounds random float32 and double literals exactly like JSON.parse', () => {
    const values: number[] = [];
    for (let i = 0; i < 20_000; i++) {
      const x = (Math.random() - 0.5) * 10 ** Math.floor(Math.random() * 12 - 6);
      values.push(x, Math.fround(x), Number(x.toPrecision(7)));
    }
    const text = JSON.stringify(values);
    expect(parse(text)).toEqual(JSON.parse(text));
  });

  it('rejects malformed documents with the byte position', () => {
    for (const bad of ['{"a":1', '{"a" 1}', '[1,2,]', '[01]', '{"a":tru}', '[1] x', '', '[.5]', '{"a":"\\x"}', '[-]']) {
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
