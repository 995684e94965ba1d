import { describe, expect, it } from '@jest/globals';

import { withoutSourcesContent } from './workflow-bundler.js';

// As webpack writes it for Temporal's bundler.
const PREFIX = '//# sourceMappingURL=data:application/json;charset=utf-8;base64,';

function inlineMap(code: string) {
  const at = code.lastIndexOf(PREFIX);
  return {
    code: code.slice(0, at),
    map: JSON.parse(Buffer.from(code.slice(at + PREFIX.length).trimEnd(), 'base64').toString()) as Record<
      string,
      unknown
    >,
  };
}

describe(withoutSourcesContent.name, () => {
  const map = {
    version: 3,
    file: 'workflow-bundle.js',
    sources: ['webpack://fledge/./src/a.ts', 'webpack://fledge/./src/b.ts'],
    sourcesContent: ['export const a = 1;\n', 'export const b = 2;\n'],
    names: ['a', 'b'],
    mappings: 'AAAA,MAAM;AACN',
  };
  const code = `var a = 1;\nvar b = 2;\n${PREFIX}${Buffer.from(JSON.stringify(map)).toString('base64')}\n`;

  it('drops the sources from the inline map and keeps the code and every mapping', () => {
    const stripped = inlineMap(withoutSourcesContent(code));

    expect(stripped.code).toBe(inlineMap(code).code);
    expect(stripped.map).toEqual({ ...map, sourcesContent: undefined });
    expect('sourcesContent' in stripped.map).toBe(false);
    expect(withoutSourcesContent(code).length).toBeLessThan(code.length);
  });

  it('leaves code without an inline map as it is', () => {
    expect(withoutSourcesContent('var a = 1;\n')).toBe('var a = 1;\n');
  });
});
