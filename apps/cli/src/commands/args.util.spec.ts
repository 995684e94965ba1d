import { describe, expect, it } from '@jest/globals';
import { InvalidArgumentError } from 'commander';

import {
  parseColumnList,
  parseExactVersionRef,
  parseJsonObject,
  parsePositiveInt,
  parseVersionRef,
} from './args.util.js';

describe('argument parsers', () => {
  it('reads <name>, <name>@<version> and <name>@<alias>', () => {
    expect(parseVersionRef('digits')).toEqual({ name: 'digits' });
    expect(parseVersionRef('digits-mlp@12')).toEqual({ name: 'digits-mlp', version: 12 });
    expect(parseVersionRef('digits@production')).toEqual({ name: 'digits', alias: 'production' });
  });

  it.each(['Digits', 'digits@0', 'digits@', '@3', 'digits@pro duction', 'a b'])('refuses the ref %s', (raw) => {
    expect(() => parseVersionRef(raw)).toThrow(InvalidArgumentError);
  });

  it('needs a version number where only an exact version makes sense', () => {
    expect(parseExactVersionRef('spam@3')).toEqual({ name: 'spam', version: 3 });
    expect(() => parseExactVersionRef('spam@latest')).toThrow('needs a version number');
    expect(() => parseExactVersionRef('spam')).toThrow('needs a version number');
  });

  it('reads metadata inline or from @file, and only as an object', () => {
    expect(parseJsonObject('{"epochs": 5}')).toEqual({ epochs: 5 });
    expect(parseJsonObject('@meta.json', (p) => (p === 'meta.json' ? '{"lr":0.1}' : ''))).toEqual({ lr: 0.1 });
    expect(() => parseJsonObject('[1]')).toThrow('must be a JSON object');
    expect(() => parseJsonObject('{epochs: 5}')).toThrow('not valid JSON');
    expect(() =>
      parseJsonObject('@missing.json', () => {
        throw Object.assign(new Error('nope'), { code: 'ENOENT' });
      }),
    ).toThrow('cannot read missing.json: ENOENT');
  });

  it('splits column lists and refuses empty names', () => {
    expect(parseColumnList('a, b,c')).toEqual(['a', 'b', 'c']);
    expect(() => parseColumnList('a,,b')).toThrow('empty column name');
  });

  it('reads positive integers only', () => {
    expect(parsePositiveInt('50')).toBe(50);
    for (const raw of ['0', '-1', '1.5', 'ten']) expect(() => parsePositiveInt(raw)).toThrow(InvalidArgumentError);
  });
});
