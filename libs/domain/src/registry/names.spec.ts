import { describe, expect, it } from '@jest/globals';

import { assertResourceName } from './names.js';

describe(assertResourceName.name, () => {
  it.each(['digits', 'spam-v2', 'a', 'x'.repeat(63)])('accepts %s', (name) => {
    expect(assertResourceName('model', name)).toBe(name);
  });

  it.each(['', 'Digits', '-a', 'a-', '../etc', 'a/b', 'a b', 'x'.repeat(64), 42])('refuses %j', (name) => {
    expect(() => assertResourceName('model', name)).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', reason: 'NAME_INVALID' }),
    );
  });
});
